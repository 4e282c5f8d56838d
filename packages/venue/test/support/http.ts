/** Test-only HTTP helper: fetch a URL and return its JSON body, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export async function getJson(url: string, init?: RequestInit): Promise<Loose> {
  const res = await fetch(url, init);
  return (await res.json()) as Loose;
}
