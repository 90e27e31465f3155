using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmpowerBot.Outbox;

/// <summary>
/// How a receiver knows a webhook came from this bot and was not altered or replayed. Scheme "v1":
/// <code>
/// X-EmpowerBot-Timestamp: {unix seconds when the request was made}
/// X-EmpowerBot-Signature: v1={lowercase hex of HMAC-SHA256(key = UTF-8 of the signing secret,
///                                                            data = UTF-8 of "v1:{timestamp}:{raw request body}")}
/// </code>
/// A receiver recomputes the signature over the raw body bytes it received (before any JSON parsing), compares in
/// constant time, and rejects timestamps far from its own clock (5 minutes is usual) so a captured request cannot be
/// replayed later. The timestamp stays the same across the automatic retries of one attempt. The
/// <c>Idempotency-Key</c> header (the outbox message id) is the same on every delivery of a message: a receiver that
/// has seen it already answers 2xx and does nothing, since delivery is at least once.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-EmpowerBot-Timestamp";
    public const string SignatureHeader = "X-EmpowerBot-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string Version = "v1";

    /// <summary>The X-EmpowerBot-Signature value for <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public static string Compute(string secret, long unixSeconds, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var data = Encoding.UTF8.GetBytes($"{Version}:{unixSeconds.ToString(CultureInfo.InvariantCulture)}:{body}");
        return Version + "=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    /// <summary>True when <paramref name="signature"/> is the v1 signature of <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string body, string? signature)
    {
        if (string.IsNullOrEmpty(secret) || signature is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, unixSeconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>
    /// What a receiver of a signed request makes of it: <see cref="SignatureCheck.Valid"/>, <see cref="SignatureCheck.Invalid"/>
    /// (not our signature of this body), or <see cref="SignatureCheck.Stale"/> (ours, but signed further than
    /// <paramref name="tolerance"/> from <paramref name="now"/>: a replay of a captured request, or a sender's clock astray).
    /// </summary>
    public static SignatureCheck Check(string secret, string? timestamp, string body, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!Verify(secret, timestamp, body, signature)) return SignatureCheck.Invalid;
        var unixSeconds = long.Parse(timestamp!, CultureInfo.InvariantCulture);
        return Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) <= tolerance.TotalSeconds ? SignatureCheck.Valid : SignatureCheck.Stale;
    }
}

public enum SignatureCheck
{
    Valid,
    Invalid,
    Stale,
}
