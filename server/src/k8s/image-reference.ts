// The parts of a container image reference that decide behaviour (the kubelet's and the API server's
// imagePullPolicy default reads the tag).

/** The tag of an image reference, ignoring a registry port; undefined when untagged. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@digest';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}
