/**
 * RSA key pairs generated once with `openssl genrsa 1024` for the sandbox and embedded so every
 * sandbox is the same (deterministic seed). 1024-bit like Alipay's legacy keys (protocol.md §2.3).
 * These are TEST keys: they are printed by the CLI and must never sign anything real.
 */

/** The seeded merchant's key pair: merchants sign RSA requests with the private key. */
export const MERCHANT_RSA_PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----
MIICXQIBAAKBgQDW0h5c03+FXL2aAng70voBumBq7nfaHJWw8khVRATGHAsOKdjz
wIEC+TOmbL8gUz7kzFgxyqRW7uzCvjM8yEtPNc4eNU2iC43TXAgY7t9kpuVwM/+T
51yYPt38NCv+f8u3pyNRViFSx388KdBzYT4sek6H3OOKk9HGVko+xMAMpwIDAQAB
AoGBAKLSJZND9s6VKVw27Pyi/z0aD4Rc9NiLe+Xe7XY7FMc3cCWvEDJIQUCIs147
5G1Sy0PNojczGXaOp0M/uEQkp/ahGnwOrofWyf8LJMU/G+Ewo3x8y5LjeADTE4A3
zQs/Yip/ME8e0Xc/ph2/5+riDnsyL31qTi9G5us1jJ751xo5AkEA6xkgbocvHF6x
AMnBV/OLI5l0diRnw0aiDcO54eztYSV1S1l6jJurEXVKNe7b4Tjxe6jESAusAuao
0qQFM2//UwJBAOnrebeRmFP0ktHh/asWS0Xppme2LkY9bWBAjLFd7/QT5QSZW0SH
F7ib0ZZX2t6UKCeMh0IjfesPlRPq+Pvylt0CQBkbcto6964I8tBJu6s/6DEiF0zy
sF4rce0UZQqaufMxA+jLIopXqZpQs181JihUY324VVX4YSNiLM9qEuAeat8CQBj5
aAxeQgosoYRBAYlDnxO+x2JpQ/WB12ygV6UUJ2tCuH/OM71UQwcVs8G+bYK4BLV8
PnCkQ2xWRI9U1fJoSw0CQQCfjtvCEKcvTPbfqggz2cRY0bY0GxnSEWbjNaxJ2jCj
JgLfvgZW8KAVP6v4+q/s5gnnJtMgIEzGglRdjlP9qGJU
-----END RSA PRIVATE KEY-----`;

export const MERCHANT_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDW0h5c03+FXL2aAng70voBumBq
7nfaHJWw8khVRATGHAsOKdjzwIEC+TOmbL8gUz7kzFgxyqRW7uzCvjM8yEtPNc4e
NU2iC43TXAgY7t9kpuVwM/+T51yYPt38NCv+f8u3pyNRViFSx388KdBzYT4sek6H
3OOKk9HGVko+xMAMpwIDAQAB
-----END PUBLIC KEY-----`;

/** The sandbox's own "Alipay" key pair: it signs RSA returns and notifications; merchants verify with the public key. */
export const ALIPAY_RSA_PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQC5fsiDIUZJLN1Q0dh0BxtYV3pbBF+rmfuP382hkKhRYPtV8Xll
I8d7AuPwiV776+REJSLhbVlwgf+V+KaCwdqu5z4xIEGhAZremUO2weEgg1Pbb8iI
1GC/KmS/keAyMD3P+ikVNKZDAORkIbBqCVAAZqU1ia9u1A2uXTUYqE+NlwIDAQAB
AoGBAIaX8OP9A+PasueOrBFcisHqD3T1UnnQLBF0Id+meAs8ZIIyyZPSh07BhSUm
eA4xVpr/mzSYxHn3Sb3HAwMDqCldooEkpS1sLFGwH3rQEp5jNDzBWzuP5ARoUf0H
G5WHcYPAagdQcKVFkkMJLFRd6DU8wApscv6TbqaD1E8AVr+pAkEA61Sx3TFz9mZc
uiEox1WeBoN/bgLY6UZGzrtSKLJHHfZ54zHE47an+Jwwo6o/q2kuEAQWiCCckUPy
ZG1Ga6ps6wJBAMnJjuZu+9vIlfBVkZUn4t0DWhDQTcbwhUQK3GKXk3zVWIB7szU6
O5ZzfeDxfXWXWECap5Ze7gxM/SWX7krDBwUCQG+ieNGWMQ11F43QRxjwW4t5e8zD
GwTmKpbNM7dMgwIKt114cY8YSexco5IwJA37UjeUyN+AoOUkV2sej2ZprUsCQQCv
QwuFBbxnZs8kUY4C+QPIZtLha6tCMUHumWhVkcWeVUdrQQWkI5IB2QnqSJVpfyw9
4JXSu10S/gOZlV55PO9pAkEArwp+RjXFgbTJAvkCTbu18fYSV57tWoFI6bloTcCC
/bS9yL48YO+LlsE5vbn8T9IAOzzszGbRK6HpLUwuQFQH2Q==
-----END RSA PRIVATE KEY-----`;

export const ALIPAY_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC5fsiDIUZJLN1Q0dh0BxtYV3pb
BF+rmfuP382hkKhRYPtV8XllI8d7AuPwiV776+REJSLhbVlwgf+V+KaCwdqu5z4x
IEGhAZremUO2weEgg1Pbb8iI1GC/KmS/keAyMD3P+ikVNKZDAORkIbBqCVAAZqU1
ia9u1A2uXTUYqE+NlwIDAQAB
-----END PUBLIC KEY-----`;
