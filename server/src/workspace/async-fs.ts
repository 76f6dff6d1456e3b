// The file-system calls kdry awaits, made through Node's callback API. `fs.promises` is a module of
// its own (node:internal/fs/promises and the modules it loads) that Node compiles on first use:
// 3-4 ms of CPU, which fell in the first open's path right after the language server starts (the
// probes for a kustomization above the file and for its folder's cluster file). The callback API is
// part of node:fs, which is loaded from the start.
import { close, fstat, lstat, open, read, readdir, realpath, stat, type Dirent, type Stats } from 'node:fs';

/** The callback's result as a promise (what util.promisify does, with the types of the calls used here). */
function called<T>(call: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

export const lstatAsync = (path: string): Promise<Stats> => called((done) => lstat(path, done));
export const statAsync = (path: string): Promise<Stats> => called((done) => stat(path, done));
/** The operating system's realpath (as fs.promises.realpath), not the callback API's walk that lstats each part of the path. */
export const realpathAsync = (path: string): Promise<string> => called((done) => realpath.native(path, done));
export const readdirAsync = (path: string): Promise<Dirent[]> => called((done) => readdir(path, { withFileTypes: true }, done));
export const openAsync = (path: string, flags: number): Promise<number> => called((done) => open(path, flags, done));
export const fstatAsync = (fd: number): Promise<Stats> => called((done) => fstat(fd, done));
/** Reads into `buffer` from the file's current position; resolves with the bytes read (0 at its end). */
export const readAsync = (fd: number, buffer: Buffer): Promise<number> => called((done) => read(fd, buffer, 0, buffer.length, null, done));
export const closeAsync = (fd: number): Promise<void> => called((done) => close(fd, (err) => done(err, undefined)));
