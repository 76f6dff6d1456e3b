// A kustomization's `images:` (plugin/builtin/imagetagtransformer ImageTagTransformer.go): each
// entry, in order, rewrites the images it names in every `containers` and `initContainers` list
// anywhere in the object (api/filters/imagetag/legacy.go LegacyFilter) and in image volumes
// (`volumes[].image.reference`, builtinpluginconsts/images.go); a CustomResourceDefinition is left
// alone. The arithmetic is api/filters/imagetag/updater.go SetImageValue and
// api/internal/image/image.go IsImageMatched and Split. Worked example: `{name: nginx, newName:
// registry.example/nginx, newTag: "1.27"}` turns `nginx:1.25` and `nginx@sha256:ab..` into
// `registry.example/nginx:1.27`; `{name: nginx, digest: sha256:cd..}` turns `nginx:1.25` into
// `nginx@sha256:cd..` (a digest drops the tag unless newTag is set too).
import { goRegexp } from './go-regexp';
import { isRecord } from '../manifest';

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export function imageRulesOf(config: Record<string, unknown>): ImageRule[] {
  const out: ImageRule[] = [];
  for (const entry of Array.isArray(config.images) ? config.images : []) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') continue;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
    out.push({ name: entry.name, newName: text(entry.newName), newTag: text(entry.newTag), digest: text(entry.digest), tagSuffix: text(entry.tagSuffix) });
  }
  return out;
}

/** Applies the rules to the object in place. */
export function applyImages(object: Record<string, unknown>, rules: readonly ImageRule[]): void {
  if (rules.length === 0 || object.kind === 'CustomResourceDefinition') return;
  for (const rule of rules) {
    const matcher = imageMatcher(rule.name);
    if (!matcher) continue;
    visit(object, (holder, key) => {
      const image = holder[key];
      if (typeof image === 'string' && matcher.test(image)) holder[key] = newImage(image, rule);
    });
  }
}

/** Calls `at` for each image field: `image` of the elements of containers/initContainers lists, and volumes' `image.reference`. */
function visit(node: unknown, at: (holder: Record<string, unknown>, key: string) => void, depth = 0): void {
  if (depth > 64) return;
  if (Array.isArray(node)) {
    for (const e of node) visit(e, at, depth + 1);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    visit(value, at, depth + 1);
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) for (const c of value) if (isRecord(c)) at(c, 'image');
    if (key === 'volumes' && Array.isArray(value)) for (const v of value) if (isRecord(v) && isRecord(v.image)) at(v.image, 'reference');
  }
}

/** IsImageMatched: the name (a Go regular expression, RE2: linear time), then an optional tag and an optional digest. */
function imageMatcher(name: string): { test(image: string): boolean } | undefined {
  const re = goRegexp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  return re && { test: (image) => re.matches(image) };
}

function newImage(image: string, rule: ImageRule): string {
  let { name, tag, digest } = splitImage(image);
  if (rule.newName) name = rule.newName;
  if (rule.newTag && rule.digest) (tag = rule.newTag), (digest = rule.digest);
  else if (rule.newTag) (tag = rule.newTag), (digest = '');
  else if (rule.digest) (tag = ''), (digest = rule.digest);
  else if (rule.tagSuffix) (tag += rule.tagSuffix), (digest = '');
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** image.Split: a registry's `host:port/` is not a tag (the search starts at the first slash). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const rest = image.slice(from);
  const at = rest.indexOf('@');
  const colon = rest.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) return { name: image.slice(0, from + at), tag: '', digest: image.slice(from + at + 1) };
  if (at >= 0 && colon >= 0) return { name: image.slice(0, from + colon), tag: image.slice(from + colon + 1, from + at), digest: image.slice(from + at + 1) };
  return { name: image.slice(0, from + colon), tag: image.slice(from + colon + 1), digest: '' };
}
