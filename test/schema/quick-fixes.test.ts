// Every schema quick-fix, applied to the text, removes its finding and leaves valid YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { schemaFindings, applyFix, deployment, VALID_TEMPLATE } from './helpers';
import { fixesOf } from '../../server/src/findings';

function fixOnce(text: string, expectedTitle: RegExp): string {
  const found = schemaFindings(text);
  assert.equal(found.length, 1, `one finding expected, got ${found.map((f) => f.message).join(' / ')}`);
  const fix = fixesOf(found[0]).find((f) => f.preferred);
  assert.ok(fix, 'a preferred fix is offered');
  assert.match(fix.title, expectedTitle);
  const fixed = applyFix(text, fix);
  assert.ok(parseManifest(fixed).documents.every((d) => d.problems.length === 0), 'the fixed text still parses');
  assert.deepEqual(schemaFindings(fixed), [], 'the finding is gone');
  return fixed;
}

test('rename a misspelt key: contianers -> containers', () => {
  const text = deployment([...VALID_TEMPLATE.slice(0, 6), '    contianers:', '    - name: web', '      image: nginx']);
  const fixed = fixOnce(text, /Rename "contianers" to "containers"/);
  assert.match(fixed, /^ {6}containers:$/m);
});

test('rename a misspelt key: replica -> replicas', () => {
  fixOnce(deployment(['replica: 3', ...VALID_TEMPLATE]), /Rename "replica" to "replicas"/);
});

test('rename fixes the case of a key: ImagePullPolicy -> imagePullPolicy', () => {
  fixOnce(deployment([...VALID_TEMPLATE, '      ImagePullPolicy: Always']), /imagePullPolicy/);
});

test('no rename onto a key that is already there', () => {
  const [f] = schemaFindings(deployment(['replica: 3', 'replicas: 2', ...VALID_TEMPLATE]));
  assert.match(f.message, /"replicas" \(already set\)/);
  assert.equal(f.fixes, undefined);
});

test('ambiguous names are offered but none is preferred', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIPz: None\n  ports: [{port: 5432}]\n';
  const [f, ...rest] = schemaFindings(text);
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'clusterIPz');
  assert.deepEqual(fixesOf(f).map((x) => x.edits[0].newText), ['clusterIP', 'clusterIPs']);
  assert.ok(fixesOf(f).every((x) => !x.preferred));
});

test('enum value fix: always -> Always', () => {
  fixOnce(deployment([...VALID_TEMPLATE, '      imagePullPolicy: always']), /Change to "Always"/);
});

test('quote a number where a string is required', () => {
  const fixed = fixOnce(deployment([...VALID_TEMPLATE, '      env:', '      - name: PORT', '        value: 8080']), /Quote 8080/);
  assert.match(fixed, /value: "8080"/);
});

test('a quoted integer becomes a number', () => {
  const fixed = fixOnce(deployment(['replicas: "3"', ...VALID_TEMPLATE]), /Use the number 3/);
  assert.match(fixed, /replicas: 3$/m);
});

test('a percentage without % gets one', () => {
  const fixed = fixOnce(deployment(['strategy:', '  rollingUpdate:', '    maxSurge: 25 %', ...VALID_TEMPLATE]), /Change to "25%"/);
  assert.match(fixed, /maxSurge: "25%"/);
});

test('fix ranges are file offsets in later documents too', () => {
  const first = deployment(['replicas: 1', ...VALID_TEMPLATE]);
  const text = `${first}---\n${deployment(['replica: 3', ...VALID_TEMPLATE])}`;
  const fixed = fixOnce(text, /Rename/);
  assert.equal(fixed.slice(0, first.length), first);
});
