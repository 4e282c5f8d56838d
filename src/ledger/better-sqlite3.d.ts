// The part of better-sqlite3's API the ledger uses (the package ships no types; @types would be one
// more dependency for five methods).
declare module 'better-sqlite3' {
  interface Statement {
    run(...params: unknown[]): { changes: number };
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
  }
  interface Database {
    exec(sql: string): Database;
    prepare(sql: string): Statement;
    transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  const Database: new (path: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => Database;
  export default Database;
}
