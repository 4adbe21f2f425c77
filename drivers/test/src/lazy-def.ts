/**
 * A definition not parsed yet: its name and UUID (all that listing and lookups need), and how
 * to parse it. test:///default builds its objects this way, so opening it parses nothing; a
 * definition is parsed the first time a call needs it (see default-state.ts).
 */
export class LazyDef<T> {
  constructor(
    readonly name: string,
    readonly uuid: string,
    readonly load: () => T,
  ) {}
}
