using System.Security.Cryptography;
using System.Text;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The Table service's SharedKeyLite scheme ("Authorize with Shared Key"): an HMAC-SHA256, keyed with the
/// account key, of the request date and the canonicalized resource:
/// <c>StringToSign = x-ms-date + "\n" + "/" + account + encoded URI path [+ "?comp=" + value]</c>.
/// With a path-style address (Azurite, the emulator) the path already starts with the account, so the account
/// appears twice: <c>/devstoreaccount1/devstoreaccount1/Tables</c>.
/// </summary>
internal static class SharedKeyLite
{
    public static string CanonicalizedResource(string account, Uri requestUri)
    {
        // AbsolutePath is the path as sent on the wire (still percent-encoded), which is what the service signs.
        var resource = "/" + account + requestUri.AbsolutePath;
        var comp = Comp(requestUri.Query);
        return comp is null ? resource : resource + "?comp=" + comp;
    }

    public static string StringToSign(string date, string canonicalizedResource) => date + "\n" + canonicalizedResource;

    public static string Signature(byte[] accountKey, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The Authorization header value for a request sent at <paramref name="date"/> (RFC 1123, as in x-ms-date).</summary>
    public static string Authorization(string account, byte[] accountKey, string date, Uri requestUri) =>
        $"SharedKeyLite {account}:{Signature(accountKey, StringToSign(date, CanonicalizedResource(account, requestUri)))}";

    // Only the comp parameter is part of the signed resource; the Table service's data operations never carry one.
    private static string? Comp(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Equals("comp", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }
        return null;
    }
}
