// A wallet setup the operator must fix (exit 2, the message alone). Apart from ./wallet.ts: the CLI
// tells it from other errors on every command without loading the CLOB client.
export class WalletError extends Error {}
