// VS Code decodes a file that is not UTF-8 with replacement characters (U+FFFD) in place, so the
// server is handed valid text and cannot tell; kubectl refuses such a file ("invalid leading UTF-8
// octet"). The bytes on disk can tell: an open file whose text holds U+FFFD is read once (bounded,
// as the workspace scan reads) on open and again on save, and while its disk bytes are not UTF-8
// the first replacement character carries the `invalid-utf8` finding, as `kdry check` reports it.
import { invalidUtf8Finding } from '../builtin-checks';
import type { Finding } from '../findings';
import type { ManifestFile } from '../manifest';
import { uriToPath } from '../workspace';
import { readFileBounded } from '../workspace/read-file';
import { SCAN_LIMITS } from './workspace-scan';

export class FileEncodings {
  /** Open files whose bytes on disk, when last read, were not UTF-8. */
  private notUtf8 = new Set<string>();

  /** `recheck` is called when what is known of a file's bytes changed. */
  constructor(private recheck: (uri: string) => void) {}

  /** After the file was opened or saved: its disk bytes are read only when the editor's text hints at a decoding problem. */
  async inspect(uri: string, text: string): Promise<void> {
    const path = uriToPath(uri);
    let invalid = false;
    if (path !== undefined && text.includes('\uFFFD')) {
      const read = await readFileBounded(path, { maxBytes: SCAN_LIMITS.maxFileBytes, text: false });
      invalid = read.ok && read.invalidUtf8At !== undefined;
    }
    if (invalid === this.notUtf8.has(uri)) return;
    if (invalid) this.notUtf8.add(uri);
    else this.notUtf8.delete(uri);
    this.recheck(uri);
  }

  forget(uri: string): void {
    this.notUtf8.delete(uri);
  }

  /** Before the user's settings and suppressions (withUserChoices). */
  findingsFor(file: ManifestFile): Finding[] {
    if (!this.notUtf8.has(file.uri)) return [];
    const at = file.text.indexOf('\uFFFD');
    return at < 0 ? [] : [invalidUtf8Finding(at)];
  }
}
