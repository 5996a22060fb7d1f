/** `hardened-eks` → `HardenedEks`: the construct ID prefix of a product folder (snapshot file names contain it). */
export function pascalCase(folder: string): string {
  return folder
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
