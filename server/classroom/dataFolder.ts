// Where the classroom keeps its database when no --data DIR is given: the user's data directory. Pure.
import path from 'node:path';

export function defaultDataFolder(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec ignores a relative XDG_DATA_HOME.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, 'gonet-lab');
}
