using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// "Verifying requests from Slack": every request carries X-Slack-Request-Timestamp (Unix seconds) and
/// X-Slack-Signature = "v0=" + lowercase hex of HMAC-SHA256(key = the app's signing secret,
/// data = "v0:{timestamp}:{raw body}"). The body is taken as the exact bytes received, before any parsing; the
/// comparison is constant-time; a timestamp more than five minutes from our clock is a replay and refused.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private const string Version = "v0";

    /// <summary>The X-Slack-Signature value of <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return Version + "=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), data));
    }

    /// <summary>Null when the request is authentic and fresh; otherwise why it is not (for the log, never for the caller).</summary>
    public static string? Check(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp)) return $"missing {TimestampHeader}";
        if (string.IsNullOrEmpty(signature)) return $"missing {SignatureHeader}";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return "malformed timestamp";
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds) return "timestamp outside five minutes";
        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(signature)) ? null : "signature mismatch";
    }
}
