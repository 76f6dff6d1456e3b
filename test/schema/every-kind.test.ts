// Every built-in kind of every bundled release is validated: a document generated from its schema
// passes, and the same document with a misspelt top-level field and a wrongly typed name fails
// with a rename fix, in the words the API server would use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { BUNDLED_RELEASES, kubernetesTarget, validateDocument } from '../../server/src/schema';
import { sampleDocument } from './sample-document';
import { fixesOf } from '../../server/src/findings';

for (const version of BUNDLED_RELEASES) {
  test(`Kubernetes ${version}: every served kind has a valid and an invalid document`, () => {
    const target = kubernetesTarget(version)!;
    const catalog = target.catalog;
    assert.ok(catalog.release.kinds.size > 70);
    for (const kindKey of catalog.release.kinds.keys()) {
      const valid = sampleDocument(catalog, kindKey);
      const [doc] = parseManifest(valid).documents;
      assert.deepEqual(validateDocument(doc, { target }).map((f) => f.message), [], `${kindKey} sample is valid:\n${valid}`);

      const invalid = valid.replace(/^metadata:\n  name: sample$/m, 'metadata:\n  name: 3\nmetadta: {}');
      const findings = validateDocument(parseManifest(invalid).documents[0], { target });
      const messages = findings.map((f) => f.message);
      assert.equal(findings.length, 2, `${kindKey}: ${messages.join('\n')}`);
      assert.ok(messages.some((m) => m.includes('metadata.name must be a string, but it is the number 3')), `${kindKey}: ${messages}`);
      const unknown = findings.find((f) => f.message.startsWith('Unknown field "metadta"'));
      assert.ok((unknown ? fixesOf(unknown) : []).some((f) => f.title === 'Rename "metadta" to "metadata" (already set)' || f.title === 'Rename "metadta" to "metadata"') || unknown?.message.includes('Did you mean "metadata" (already set)'), `${kindKey}: ${unknown?.message}`);
    }
  });
}
