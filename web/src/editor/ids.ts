/**
 * Returns a generator of fresh object ids "o1", "o2", ... that skips every id
 * already taken (those given and those it has produced).
 */
export function createIdGenerator(existing: Iterable<string> = []): (taken: (id: string) => boolean) => string {
  let next = 1;
  for (const id of existing) {
    const match = /^o(\d+)$/.exec(id);
    if (match) next = Math.max(next, Number(match[1]) + 1);
  }
  return (taken) => {
    while (taken(`o${next}`)) next++;
    return `o${next++}`;
  };
}
