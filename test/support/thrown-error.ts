/** The error `build` throws, checked to be of `type` (fails the test if it throws none, or another kind). */
export function thrownError<E extends Error>(build: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
