// The value the change picker pre-fills for a container image.

/** A plausible next tag: `nginx:1.27` -> `nginx:1.28`, else `:next`. */
export function nextImageTag(image: string): string {
  const colon = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  if (colon <= slash) return `${image}:next`;
  const tag = image.slice(colon + 1);
  const bumped = tag.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + 1));
  return `${image.slice(0, colon + 1)}${bumped === tag ? 'next' : bumped}`;
}
