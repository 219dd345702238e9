// Types for the dependency that ships no types of its own.
declare module 'fxa-common-password-list' {
  /** True when the (lower-cased) password is among the 50,000 most common of 8+ characters. */
  const list: { test(password: string): boolean };
  export default list;
}
