/** The account, partition and region tests pretend to deploy into. */
export const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::AccountId': '111122223333',
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Resolves the intrinsics a synthesized policy or property uses (Ref, Fn::GetAtt, Fn::Join, Fn::Split, Fn::Select,
 * Fn::Sub, and Fn::If with `Condition::<name>` given as 'true' or 'false') to concrete strings, so that IAM evaluators can read it. `values` gives logical IDs and parameters
 * (`Logical`) and attributes (`Logical.Arn`); anything unknown throws, so a test never evaluates a half-resolved
 * document.
 */
export function resolveIntrinsics(value: unknown, values: Record<string, string> = {}): any {
  const all = { ...PSEUDO_PARAMETERS, ...values };
  const lookup = (key: string, what: string): string => {
    if (!(key in all)) throw new Error(`no value for ${what} ${key}`);
    return all[key];
  };
  const resolve = (v: any): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    const [fn] = keys;
    if (keys.length === 1 && fn === 'Ref') return lookup(v.Ref, 'Ref');
    if (keys.length === 1 && fn === 'Fn::GetAtt') return lookup((v[fn] as string[]).join('.'), 'Fn::GetAtt');
    if (keys.length === 1 && fn === 'Fn::Join') return (resolve(v[fn][1]) as string[]).join(v[fn][0]);
    if (keys.length === 1 && fn === 'Fn::Split') return (resolve(v[fn][1]) as string).split(v[fn][0]);
    if (keys.length === 1 && fn === 'Fn::Select') return (resolve(v[fn][1]) as string[])[Number(v[fn][0])];
    // A condition's outcome is given as `Condition::<name>`: 'true' or 'false'.
    if (keys.length === 1 && fn === 'Fn::If')
      return resolve(lookup(`Condition::${v[fn][0]}`, 'condition') === 'true' ? v[fn][1] : v[fn][2]);
    if (keys.length === 1 && fn === 'Fn::Sub' && typeof v[fn] === 'string') {
      return (v[fn] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => lookup(name, 'Fn::Sub variable'));
    }
    const unknown = keys.find((k) => k.startsWith('Fn::'));
    if (unknown) throw new Error(`cannot resolve ${unknown}`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return resolve(value);
}
