// The parts of a container image reference that decide behaviour: the tag as a reader sees it
// (imageTag, for pinning), and as the API server's imagePullPolicy default parses it (parsedImageTag).

/** The tag of an image reference, ignoring a registry port; undefined when untagged. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@digest';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

// github.com/distribution/reference regexp.go, as parsers.ParseImageName reads an image with ParseNormalizedNamed.
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** reference.NameTotalLengthMax. */
const NAME_TOTAL_LENGTH_MAX = 255;
/** The digest algorithms go-digest knows, by their encoded length (digest.Parse then Validate). */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * The tag pkg/util/parsers.ParseImageName finds in `image`: `latest` when it names neither a tag
 * nor a digest, "" when it has only a digest or does not parse (ParseNormalizedNamed refuses an
 * upper-case repository, a bad digest, a 64-hex name, an empty one). SetDefaults_Container's
 * imagePullPolicy is Always only for `latest`.
 */
export function parsedImageTag(image: string): string {
  if (/^[a-f0-9]{64}$/.test(image)) return '';
  // splitDockerDomain: the first component is a registry when it has a dot or a colon, is localhost or has upper case.
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = hasDomain ? first : 'docker.io';
  let remainder = hasDomain ? image.slice(slash + 1) : image;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remoteName = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) return '';
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match || match[1].length > NAME_TOTAL_LENGTH_MAX) return '';
  const [, , tag, digest] = match;
  if (digest !== undefined) {
    const [algorithm, hex] = [digest.slice(0, digest.indexOf(':')), digest.slice(digest.indexOf(':') + 1)];
    if (DIGEST_HEX_LENGTH[algorithm] !== hex.length || !/^[a-f0-9]+$/.test(hex)) return '';
  }
  return tag ?? (digest === undefined ? 'latest' : '');
}
