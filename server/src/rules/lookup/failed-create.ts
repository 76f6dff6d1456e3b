// How an admission error on a pod reaches the user, per kind: a Pod is refused when applied; a
// controller is accepted and records FailedCreate with the error for each pod it tries to create
// (ReplicaSet, ReplicationController, DaemonSet and Job: `Error creating: ...`, StatefulSet:
// `create Pod web-0 in StatefulSet web failed error: ...`, a Deployment through its ReplicaSet,
// a CronJob through each Job).
import type { ManifestDocument } from '../../manifest';

/** The name the API server gives in its error: a Pod's own, a StatefulSet's first ordinal, else generated. */
export function podNameOf(doc: ManifestDocument): string {
  const name = doc.name ?? '';
  return doc.kind === 'Pod' ? name : doc.kind === 'StatefulSet' ? `${name}-0` : `${name}-...`;
}

/** `forbidden` is the API server's error for one pod: `pods "web-..." is forbidden: ...`. */
export function everyPodForbidden(doc: ManifestDocument, forbidden: string, accepted = ''): string {
  const kind = doc.kind ?? '';
  switch (kind) {
    case 'Pod':
      return `The API server refuses this Pod: ${forbidden}.`;
    case 'Deployment':
      return `The Deployment is accepted${accepted}, but every pod its ReplicaSet creates is forbidden, so none runs: the ReplicaSet records FailedCreate \`Error creating: ${forbidden}\`.`;
    case 'StatefulSet':
      return `The StatefulSet is accepted${accepted}, but every pod it creates is forbidden, so none runs: FailedCreate \`create Pod ${podNameOf(doc)} in StatefulSet ${doc.name ?? ''} failed error: ${forbidden}\`.`;
    case 'CronJob':
      return `The CronJob is accepted${accepted}, but every pod of the Jobs it starts is forbidden, so none runs: each Job records FailedCreate \`Error creating: ${forbidden}\`.`;
    default:
      return `The ${kind} is accepted${accepted}, but every pod it creates is forbidden, so none runs: FailedCreate \`Error creating: ${forbidden}\`.`;
  }
}
