import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";

/** Something in the store: an object under its key, or a temporary file meant for `key`. */
export type StoreEntry = {
  name: string;
  /** The key the bytes are (or were meant to be) stored under. */
  key: string;
  temporary: boolean;
  size: number;
  modifiedAt: Date;
};

/**
 * Where uploaded bytes live. Keys are derived from the content's sha256 ("ab/ab12…"), never from
 * the uploaded name, so a name like "../../x" cannot reach outside the store. An upload is staged
 * under a temporary name ("tmp/…"), its row is written, and only then is it committed to its key:
 * a key exists only once a row has named it, and the orphan sweep (file-sweep.ts) deletes what
 * neither a row nor an upload in flight uses. An S3-compatible store can implement the same methods.
 */
export interface FileStore {
  /** Writes the bytes meant for `key` under a new temporary name inside the store; returns that name. */
  stage(key: string, bytes: Uint8Array): Promise<string>;
  /**
   * Moves a staged file to `key`. When `key` already holds an object (the same content: keys are
   * content hashes) the staged copy is dropped instead and the object is not rewritten. True when moved.
   */
  commit(staged: string, key: string): Promise<boolean>;
  /** Deletes a staged file or an object; one already gone is no error. */
  remove(name: string): Promise<void>;
  /** Moves an object to a temporary name (the sweep, before it looks once more); null when gone. */
  setAside(key: string): Promise<string | null>;
  /** The bytes of an object (by key) or of a temporary file (by name); null when gone. */
  get(name: string): Promise<Uint8Array | null>;
  /** Every object and temporary file, for the sweep. Anything else in the store is not listed. */
  list(): AsyncIterable<StoreEntry>;
}

const keyPattern = /^[0-9a-f]{2}\/[0-9a-f]{64}$/;
const stagedPattern = /^tmp\/([0-9a-f]{64})\.[0-9a-f]{16}$/;
/** What the store wrote before uploads were staged: `<key>.<pid>.<ms>.tmp`, beside the object. */
const legacyTempPattern = /^([0-9a-f]{2}\/[0-9a-f]{64})\.\d+\.\d+\.tmp$/;

export const storageKeyFor = (sha256: string) => `${sha256.slice(0, 2)}/${sha256}`;

function checkKey(key: string) {
  if (!keyPattern.test(key)) throw new Error(`invalid storage key: ${key}`);
}

/** The key a name stands for (an object's own key, a temporary file's intended key), or null. */
function keyOfName(name: string): { key: string; temporary: boolean } | null {
  if (keyPattern.test(name)) return { key: name, temporary: false };
  const staged = stagedPattern.exec(name);
  if (staged?.[1]) return { key: storageKeyFor(staged[1]), temporary: true };
  const legacy = legacyTempPattern.exec(name);
  if (legacy?.[1]) return { key: legacy[1], temporary: true };
  return null;
}

const tempName = (key: string) => `tmp/${key.slice(3)}.${randomBytes(8).toString("hex")}`;

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT";

export class LocalFileStore implements FileStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Only names of the store's own kinds, and only inside its root. */
  private pathOf(name: string): string {
    if (!keyOfName(name)) throw new Error(`invalid storage name: ${name}`);
    const path = resolve(join(this.root, name));
    if (!path.startsWith(this.root + sep)) throw new Error("storage name escapes the store");
    return path;
  }

  async stage(key: string, bytes: Uint8Array): Promise<string> {
    checkKey(key);
    const name = tempName(key);
    const path = this.pathOf(name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes, { flag: "wx" });
    return name;
  }

  async commit(staged: string, key: string): Promise<boolean> {
    checkKey(key);
    const from = this.pathOf(staged);
    const to = this.pathOf(key);
    const exists = await stat(to).then(
      () => true,
      (e) => (missing(e) ? false : Promise.reject(e)),
    );
    if (exists) {
      await this.remove(staged);
      return false;
    }
    await mkdir(dirname(to), { recursive: true });
    // A rename within one file system: a reader sees the whole file or none.
    await rename(from, to);
    return true;
  }

  async remove(name: string): Promise<void> {
    await unlink(this.pathOf(name)).catch((e) => (missing(e) ? undefined : Promise.reject(e)));
  }

  async setAside(key: string): Promise<string | null> {
    checkKey(key);
    const name = tempName(key);
    const to = this.pathOf(name);
    await mkdir(dirname(to), { recursive: true });
    return rename(this.pathOf(key), to).then(
      () => name,
      (e) => (missing(e) ? null : Promise.reject(e)),
    );
  }

  async get(name: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(name)));
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async *list(): AsyncIterable<StoreEntry> {
    const folders = await readdir(this.root, { withFileTypes: true }).catch((e) =>
      missing(e) ? [] : Promise.reject(e),
    );
    for (const folder of folders) {
      if (!folder.isDirectory()) continue;
      const files = await readdir(join(this.root, folder.name), { withFileTypes: true });
      for (const file of files) {
        const name = `${folder.name}/${file.name}`;
        const kind = file.isFile() ? keyOfName(name) : null;
        if (!kind) continue;
        const info = await stat(join(this.root, name)).catch((e) => (missing(e) ? null : Promise.reject(e)));
        if (info) yield { name, ...kind, size: info.size, modifiedAt: info.mtime };
      }
    }
  }
}

/** In memory, for tests of the HTTP surface. `files` holds the objects by key. */
export class MemoryFileStore implements FileStore {
  readonly files = new Map<string, Uint8Array>();
  readonly staged = new Map<string, Uint8Array>();
  private readonly modified = new Map<string, Date>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async stage(key: string, bytes: Uint8Array) {
    checkKey(key);
    const name = tempName(key);
    this.staged.set(name, bytes);
    this.modified.set(name, this.now());
    return name;
  }
  async commit(staged: string, key: string) {
    checkKey(key);
    const bytes = this.staged.get(staged);
    if (!bytes) throw new Error(`no staged file ${staged}`);
    this.staged.delete(staged);
    const at = this.modified.get(staged) ?? this.now();
    this.modified.delete(staged);
    if (this.files.has(key)) return false;
    this.files.set(key, bytes);
    this.modified.set(key, at);
    return true;
  }
  async remove(name: string) {
    if (!keyOfName(name)) throw new Error(`invalid storage name: ${name}`);
    this.files.delete(name);
    this.staged.delete(name);
    this.modified.delete(name);
  }
  async setAside(key: string) {
    checkKey(key);
    const bytes = this.files.get(key);
    if (!bytes) return null;
    const name = tempName(key);
    this.staged.set(name, bytes);
    this.modified.set(name, this.modified.get(key) ?? this.now());
    this.files.delete(key);
    this.modified.delete(key);
    return name;
  }
  async get(name: string) {
    return this.files.get(name) ?? this.staged.get(name) ?? null;
  }
  async *list(): AsyncIterable<StoreEntry> {
    const at = (name: string) => this.modified.get(name) ?? this.now();
    for (const [key, bytes] of this.files)
      yield { name: key, key, temporary: false, size: bytes.length, modifiedAt: at(key) };
    for (const [name, bytes] of this.staged) {
      const kind = keyOfName(name);
      if (kind) yield { name, ...kind, size: bytes.length, modifiedAt: at(name) };
    }
  }
}
