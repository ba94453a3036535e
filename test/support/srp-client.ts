import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A USER_SRP_AUTH client written independently of Cognate's code (node:crypto, the client
 * side of the equations), following amazon-cognito-identity-js's byte layout. Tests use it
 * where they need to bend a request: replay, tampering, skewed timestamps, SECRET_HASH.
 */

// RFC 3526 / RFC 5054 3072-bit MODP group.
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const SRP_N_HEX = N.toString(16);

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = ((base % N) + N) % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % N;
    b = (b * b) % N;
  }
  return result;
}

/** Java's BigInteger.toByteArray() for a non-negative number. */
function javaBytes(n: bigint): Buffer {
  let text = n.toString(16);
  if (text.length % 2) text = `0${text}`;
  if (parseInt(text[0]!, 16) >= 8) text = `00${text}`;
  return Buffer.from(text, 'hex');
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const num = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`);

/** "Tue Nov 3 08:02:15 UTC 2026", built from toUTCString() ("Tue, 03 Nov 2026 08:02:15 GMT"). */
export function cognitoTimestamp(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().split(' ') as [string, string, string, string, string];
  return `${weekday.slice(0, 3)} ${month} ${Number(day)} ${time} UTC ${year}`;
}

export class SrpClient {
  private readonly a = num(randomBytes(128));
  readonly A = pow(2n, this.a);

  constructor(private readonly poolId: string) {}

  get srpA(): string {
    return this.A.toString(16);
  }

  /** The key both sides should share, as HKDF(S, u) over the client's equation S = (B - k·g^x)^(a + u·x). */
  key(challenge: Record<string, string>, password: string): Buffer {
    const poolName = this.poolId.split('_')[1]!;
    const B = BigInt(`0x${challenge.SRP_B}`);
    const salt = BigInt(`0x${challenge.SALT}`);
    const k = num(sha256(javaBytes(N), javaBytes(2n)));
    const u = num(sha256(javaBytes(this.A), javaBytes(B)));
    const x = num(sha256(javaBytes(salt), sha256(Buffer.from(`${poolName}${challenge.USER_ID_FOR_SRP}:${password}`))));
    const S = pow(B - k * pow(2n, x), this.a + u * x);
    return Buffer.from(hkdfSync('sha256', javaBytes(S), javaBytes(u), 'Caldera Derived Key', 16));
  }

  /** ChallengeResponses for PASSWORD_VERIFIER. */
  answer(challenge: Record<string, string>, password: string, timestamp = cognitoTimestamp(new Date())): Record<string, string> {
    const poolName = this.poolId.split('_')[1]!;
    const userId = challenge.USER_ID_FOR_SRP!;
    const message = Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(challenge.SECRET_BLOCK!, 'base64'), Buffer.from(timestamp)]);
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK!,
      PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', this.key(challenge, password)).update(message).digest('base64'),
      TIMESTAMP: timestamp,
    };
  }
}

/**
 * A remembered device as amazon-cognito-identity-js keeps it: a random secret, the verifier
 * ConfirmDevice registers, and the DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER answers.
 */
export class DeviceSrpClient {
  readonly password = randomBytes(40).toString('base64');
  readonly saltHex = javaBytes(BigInt(`0x${randomBytes(16).toString('hex')}`)).toString('hex');
  private a = num(randomBytes(128));
  A = pow(2n, this.a);

  constructor(readonly deviceKey: string, readonly groupKey: string) {}

  private x(saltHex: string): bigint {
    const inner = sha256(Buffer.from(`${this.groupKey}${this.deviceKey}:${this.password}`));
    return num(sha256(javaBytes(BigInt(`0x${saltHex}`)), inner));
  }

  /** DeviceSecretVerifierConfig for ConfirmDevice (base64 of the hex bytes, as the library sends it). */
  verifierConfig(): { PasswordVerifier: string; Salt: string } {
    return {
      PasswordVerifier: javaBytes(pow(2n, this.x(this.saltHex))).toString('base64'),
      Salt: Buffer.from(this.saltHex, 'hex').toString('base64'),
    };
  }

  /** A fresh ephemeral key for the next sign-in. */
  srpA(): string {
    this.a = num(randomBytes(128));
    this.A = pow(2n, this.a);
    return this.A.toString(16);
  }

  /** ChallengeResponses for DEVICE_PASSWORD_VERIFIER. */
  answer(challenge: Record<string, string>, username: string, timestamp = cognitoTimestamp(new Date())): Record<string, string> {
    const B = BigInt(`0x${challenge.SRP_B}`);
    const k = num(sha256(javaBytes(N), javaBytes(2n)));
    const u = num(sha256(javaBytes(this.A), javaBytes(B)));
    const x = this.x(challenge.SALT!);
    const S = pow(B - k * pow(2n, x), this.a + u * x);
    const key = Buffer.from(hkdfSync('sha256', javaBytes(S), javaBytes(u), 'Caldera Derived Key', 16));
    const message = Buffer.concat([Buffer.from(this.groupKey), Buffer.from(this.deviceKey), Buffer.from(challenge.SECRET_BLOCK!, 'base64'), Buffer.from(timestamp)]);
    return {
      USERNAME: username,
      DEVICE_KEY: this.deviceKey,
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK!,
      PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', key).update(message).digest('base64'),
      TIMESTAMP: timestamp,
    };
  }
}
