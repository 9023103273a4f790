// Shared by the release tests: where the release folder is, and unpacking
// its archives. The release must have been built (scripts/release); a
// missing one fails the tests, never skips them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const version = /\[package\][^[]*?\nversion = "([^"]+)"/.exec(readFileSync(join(repoRoot, "Cargo.toml"), "utf8"))[1];
export const releaseDir = join(repoRoot, "release", `accord-${version}`);

if (!existsSync(join(releaseDir, "SHA256SUMS"))) {
  throw new Error(`${releaseDir} has no release: run scripts/release first`);
}

/** The paths of the files in one of the release's archives. */
export function listTar(archive) {
  return execFileSync("tar", ["-tzf", join(releaseDir, archive)], { encoding: "utf8" })
    .trim().split("\n").filter((f) => !f.endsWith("/"));
}

/** Unpacks one of the release's archives into a new folder outside the
 * repository; returns the folder. */
export function unpack(archive) {
  const dir = mkdtempSync(join(tmpdir(), "accord-release-"));
  execFileSync("tar", ["-xzf", join(releaseDir, archive), "-C", dir]);
  return dir;
}
