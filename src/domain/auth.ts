// CLOB API credentials (L2). The secret and passphrase are secrets: never log them.
export interface ApiCreds {
  readonly key: string;
  readonly secret: string;
  readonly passphrase: string;
}
