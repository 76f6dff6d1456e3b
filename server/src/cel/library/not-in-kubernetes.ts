// CEL functions that look like Kubernetes' but that its API server does not have.
/**
 * Global functions that read as Kubernetes CEL but that no release's environment declares, so the
 * API server refuses a rule calling them when the CRD is created. `image` and `isImage` (with the
 * Image type's `registry()`, `repository()`, `tag()`, `digest()`, `identifier()`,
 * `containsDigest()`) were proposed for k8s.io/apiserver/pkg/cel/library/image.go in
 * kubernetes/kubernetes#130834, which was closed without being merged: the released base
 * environment (apiserver/pkg/cel/environment/base.go, as read with the 1.34 list library its last
 * entry) has no Image entry, KnownLibraries (library/libraries.go) has no image library, and
 * library_compatibility_test.go, which must list every function of every known library by release,
 * lists none of its functions up to its 1.36 placeholder. The two versions
 * of image.go that can be read are two revisions of that pull request (go-containerregistry, then
 * distribution/reference with a `normalize` argument). Kyverno ships a library of its own under
 * the same names; a Kubernetes API server does not.
 */
export const UNDECLARED_FUNCTIONS = new Set(['image', 'isImage']);
