import { gunzipSync } from 'zlib';
import { parse } from 'yaml';
import { isIntrinsic, renderText } from './intrinsics';
import { isObject } from './template-model';
import { literal } from './values';

/*
 * Reading node bootstrap user data as the instance will: base64 (what EC2 takes), gzip, MIME multipart archives
 * (what EKS merges its own part into), cloud-init cloud-config, shell scripts, AL2023 nodeadm NodeConfig and
 * Bottlerocket TOML settings. Intrinsics inside become `${Token:…}` placeholders. Nothing here throws.
 */

/** One part of the user data with its MIME type (or what its first line says it is). */
export interface UserDataPart {
  readonly contentType: string;
  readonly text: string;
}

export type ReadUserData = { ok: true; parts: UserDataPart[] } | { ok: false; reason: string };

const MAX_PARTS = 50;
const MAX_NESTING = 5;

/**
 * The parts of a user-data value: `Fn::Base64` of text (a literal, `Fn::Join` or `Fn::Sub`), or a literal that is
 * base64 (EC2's encoding) or plain text (Karpenter's `userData`).
 */
export function readUserData(value: unknown): ReadUserData {
  if (value === undefined || value === null || value === '') return { ok: true, parts: [] };
  let text: string | undefined;
  if (isObject(value) && value['Fn::Base64'] !== undefined) text = renderText(value['Fn::Base64']);
  else if (typeof value === 'string') text = decodedIfBase64(value) ?? value;
  else {
    const lit = literal(value);
    if (lit.known && typeof lit.value === 'string') text = decodedIfBase64(lit.value) ?? lit.value;
    else if (isIntrinsic(value)) text = renderText(value);
  }
  if (text === undefined) return { ok: false, reason: 'user data that is neither text nor Fn::Base64 of text' };
  return { ok: true, parts: partsOf(text, 0) };
}

/** The text a base64 (optionally gzipped) string decodes to, when it is base64 of readable text. */
function decodedIfBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  let bytes: Buffer = Buffer.from(compact, 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  }
  const decoded = bytes.toString('utf8');
  // Readable text: no replacement characters and few control characters.
  const controls = decoded.replace(/[\t\r\n\x20-\x7e\u00a0-\uffff]/g, '').length;
  return decoded.includes('\ufffd') || controls > decoded.length / 100 ? undefined : decoded;
}

/** A MIME multipart archive split into its parts (recursively), or the text as one part of the type its first line says. */
function partsOf(text: string, depth: number): UserDataPart[] {
  const head = text.split(/\r?\n\r?\n/)[0];
  const boundary = /^Content-Type:\s*multipart\//im.test(head) ? /boundary="?([^"\s;]+)"?/i.exec(head)?.[1] : undefined;
  if (!boundary || depth >= MAX_NESTING) return [{ contentType: sniffedType(text), text }];
  const parts: UserDataPart[] = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--') || parts.length >= MAX_PARTS) break;
    const body = chunk.replace(/^\r?\n/, '');
    const split = /\r?\n\r?\n/.exec(body);
    const headerText = split ? body.slice(0, split.index) : '';
    let content = (split ? body.slice(split.index + split[0].length) : body).replace(/\r?\n$/, '');
    const header = (name: string) =>
      new RegExp(`^${name}:\\s*([^;\\r\\n]+)`, 'im').exec(headerText)?.[1].trim().toLowerCase();
    if (header('Content-Transfer-Encoding') === 'base64') content = decodedIfBase64(content) ?? content;
    const type = header('Content-Type');
    if (type?.startsWith('multipart/')) parts.push(...partsOf(`${headerText}\n\n${content}`, depth + 1));
    else parts.push({ contentType: type ?? sniffedType(content), text: content });
  }
  return parts;
}

/** What a part without a MIME type is, by cloud-init's rules (its first line) or its content. */
function sniffedType(text: string): string {
  const first = text.trimStart().split('\n')[0] ?? '';
  if (first.startsWith('#cloud-config')) return 'text/cloud-config';
  if (first.startsWith('#!')) return 'text/x-shellscript';
  if (first.startsWith('#cloud-boothook')) return 'text/cloud-boothook';
  if (/^\s*apiVersion:\s*node\.eks\.aws/m.test(text)) return 'application/node.eks.aws';
  if (/^\s*\[settings[.\]]/m.test(text)) return 'application/toml';
  return 'text/plain';
}

/** What a node's bootstrap does that weakens it: an SSH way in, a metadata-service change, a security agent switched off. */
export interface UserDataConcern {
  readonly kind: 'ssh' | 'imds' | 'agent';
  readonly detail: string;
}

/** Security agents a node must keep running: shell access and its logs, runtime detection, auditing, logs. */
const AGENTS =
  'amazon-ssm-agent|amazon-guardduty-agent|aws-guardduty-agent|auditd|amazon-cloudwatch-agent|amazon-inspector';

const SHELL_CHECKS: readonly { kind: UserDataConcern['kind']; pattern: RegExp; detail: string }[] = [
  {
    kind: 'ssh',
    pattern:
      /\b(?:systemctl\s+(?:enable|start|restart|unmask)(?:\s+--now)?|service|chkconfig)\s+(?:sshd?|openssh-server)\b/,
    detail: 'starts or enables the SSH daemon',
  },
  {
    kind: 'ssh',
    pattern: /\b(?:yum|dnf|apt-get|apt|zypper)\s+(?:-y\s+)?install\b[^\n]*\bopenssh-server\b/,
    detail: 'installs an SSH server',
  },
  { kind: 'ssh', pattern: /authorized_keys/, detail: 'writes SSH authorized keys' },
  {
    kind: 'ssh',
    pattern: /\b(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+)\s+AAAA/,
    detail: 'carries an SSH public key',
  },
  {
    kind: 'ssh',
    pattern: /^\s*(?:PasswordAuthentication|PermitRootLogin)\s+yes\b/m,
    detail: 'turns on SSH password or root login',
  },
  {
    kind: 'imds',
    pattern: /modify-instance-metadata-options[^\n]*--http-tokens\s+optional/,
    detail: 'makes IMDSv1 available again (modify-instance-metadata-options --http-tokens optional)',
  },
  {
    kind: 'imds',
    pattern: /modify-instance-metadata-options[^\n]*--http-put-response-hop-limit\s+(?:[2-9]|\d{2,})/,
    detail: "raises the metadata hop limit above 1, so pods reach the node role's credentials",
  },
  {
    kind: 'imds',
    pattern: /\biptables\b[^\n]*-[DF]\b[^\n]*169\.254\.169\.254|\biptables\b[^\n]*169\.254\.169\.254[^\n]*-j\s+ACCEPT/,
    detail: 'opens the metadata service (169.254.169.254) to pods in iptables',
  },
  {
    kind: 'agent',
    pattern: new RegExp(
      `\\b(?:systemctl\\s+(?:stop|disable|mask)(?:\\s+--now)?|service)\\s+(?:${AGENTS})\\b(?!\\s+start)`,
    ),
    detail: 'stops or disables a security agent',
  },
  {
    kind: 'agent',
    pattern: new RegExp(
      `\\b(?:yum|dnf|apt-get|apt|snap|rpm)\\s+(?:-y\\s+)?(?:remove|erase|purge|-e)\\b[^\\n]*\\b(?:${AGENTS})\\b`,
    ),
    detail: 'removes a security agent',
  },
];

/** What the user data does that weakens the node, with the part it is in. */
export function userDataConcerns(parts: readonly UserDataPart[]): UserDataConcern[] {
  const concerns: UserDataConcern[] = [];
  const seen = new Set<string>();
  const add = (concern: UserDataConcern) => {
    const key = `${concern.kind}:${concern.detail}`;
    if (!seen.has(key)) concerns.push(concern);
    seen.add(key);
  };
  for (const part of parts) {
    if (part.contentType.includes('cloud-config')) cloudConfigConcerns(part.text).forEach(add);
    else if (part.contentType.includes('toml')) bottlerocketConcerns(part.text).forEach(add);
    else shellConcerns(part.text).forEach(add);
  }
  return concerns;
}

function shellConcerns(text: string): UserDataConcern[] {
  return SHELL_CHECKS.filter((check) => check.pattern.test(text)).map(({ kind, detail }) => ({ kind, detail }));
}

/** cloud-init's cloud-config: keys that open SSH, files it writes and the commands it runs (read as shell). */
function cloudConfigConcerns(text: string): UserDataConcern[] {
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    return shellConcerns(text);
  }
  if (!isObject(config)) return [];
  const concerns: UserDataConcern[] = [];
  const users = Array.isArray(config.users) ? config.users.filter(isObject) : [];
  if (
    config.ssh_authorized_keys !== undefined ||
    users.some((u) => u.ssh_authorized_keys !== undefined || u['ssh-authorized-keys'] !== undefined)
  ) {
    concerns.push({ kind: 'ssh', detail: 'installs SSH authorized keys (cloud-config ssh_authorized_keys)' });
  }
  if (config.ssh_pwauth === true || config.ssh_pwauth === 'true' || config.ssh_pwauth === 'yes') {
    concerns.push({ kind: 'ssh', detail: 'turns on SSH password logins (cloud-config ssh_pwauth)' });
  }
  if (config.disable_root === false)
    concerns.push({ kind: 'ssh', detail: 'allows root SSH logins (cloud-config disable_root: false)' });
  const packages = Array.isArray(config.packages) ? config.packages.map(String) : [];
  if (packages.some((p) => p.startsWith('openssh-server')))
    concerns.push({ kind: 'ssh', detail: 'installs an SSH server (cloud-config packages)' });
  const files = Array.isArray(config.write_files) ? config.write_files.filter(isObject) : [];
  for (const file of files) {
    if (typeof file.path === 'string' && /authorized_keys|\/etc\/ssh\//.test(file.path))
      concerns.push({ kind: 'ssh', detail: `writes ${file.path} (cloud-config write_files)` });
  }
  const commands = ['runcmd', 'bootcmd']
    .flatMap((key) => (Array.isArray(config[key]) ? config[key] : []))
    .map((c: unknown) => (Array.isArray(c) ? c.map(String).join(' ') : String(c)));
  const scripts = files.map((f) => (typeof f.content === 'string' ? f.content : ''));
  return [...concerns, ...shellConcerns([...commands, ...scripts].join('\n'))];
}

/** Bottlerocket settings: the admin host container is its SSH way in. */
function bottlerocketConcerns(text: string): UserDataConcern[] {
  const admin =
    /\[settings\.host-containers\.admin\][^[]*?\benabled\s*=\s*true/s.test(text) ||
    /settings\.host-containers\.admin\.enabled\s*=\s*true/.test(text);
  return admin ? [{ kind: 'ssh', detail: "enables Bottlerocket's admin host container (SSH)" }] : [];
}
