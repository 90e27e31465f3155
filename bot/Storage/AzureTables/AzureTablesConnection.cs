namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// Where the table service is and how requests are signed: with the account key (SharedKeyLite), from a
/// connection string, or with Microsoft Entra tokens when only the endpoint is configured (managed identity).
/// A class rather than a record so that no generated ToString or debugger view ever prints the key.
/// </summary>
public sealed class AzureTablesConnection
{
    public const string DevelopmentStorageAccount = "devstoreaccount1";

    /// <summary>
    /// The emulator's well-known key, published in Microsoft's Azurite documentation: it opens nothing but a
    /// local emulator, so it may live in code (and must never be used for a real account).
    /// </summary>
    public const string DevelopmentStorageKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DevelopmentStorageEndpoint = "http://127.0.0.1:10002/" + DevelopmentStorageAccount;

    private AzureTablesConnection(Uri endpoint, string accountName, byte[]? accountKey)
    {
        Endpoint = endpoint;
        Root = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        AccountName = accountName;
        AccountKey = accountKey;
    }

    /// <summary>The table service root: host style, or path style (emulators) with the account as first segment.</summary>
    public Uri Endpoint { get; }

    /// <summary><see cref="Endpoint"/> as text without a trailing slash, the base every request address is built on.</summary>
    internal string Root { get; }

    public string AccountName { get; }

    /// <summary>True when requests are signed with the account key; false when they carry an Entra token.</summary>
    public bool UsesAccountKey => AccountKey is not null;

    internal byte[]? AccountKey { get; }

    /// <summary>The endpoint only: safe for logs and error messages.</summary>
    public override string ToString() => Root;

    /// <summary>
    /// Reads an Azure Storage connection string: <c>UseDevelopmentStorage=true</c>, or <c>AccountName</c> and
    /// <c>AccountKey</c> with either <c>TableEndpoint</c> or <c>DefaultEndpointsProtocol</c> and <c>EndpointSuffix</c>.
    /// Throws <see cref="ArgumentException"/> naming the setting and the part at fault, never quoting a value.
    /// </summary>
    public static AzureTablesConnection Parse(string? connectionString, string setting = "Storage:ConnectionString")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"{setting} is empty.");
        }
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var segments = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var equals = segments[i].IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"{setting} is not a connection string: part {i + 1} is not of the form Name=value.");
            }
            if (!parts.TryAdd(segments[i][..equals].Trim(), segments[i][(equals + 1)..].Trim()))
            {
                throw new ArgumentException($"{setting} names {segments[i][..equals].Trim()} twice.");
            }
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"{setting}: UseDevelopmentStorage can only be true.");
            }
            return new AzureTablesConnection(new Uri(DevelopmentStorageEndpoint), DevelopmentStorageAccount, Convert.FromBase64String(DevelopmentStorageKey));
        }
        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new ArgumentException(
                $"{setting}: SharedAccessSignature is not supported; use AccountName and AccountKey, or set Storage:TableEndpoint for a managed identity.");
        }

        var account = Required(parts, "AccountName", setting);
        var key = Required(parts, "AccountKey", setting);
        byte[] keyBytes;
        try
        {
            keyBytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{setting}: AccountKey is not valid base64 (copy it again from the storage account's Access keys).");
        }

        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            endpoint = ParseEndpoint(tableEndpoint, $"{setting}: TableEndpoint");
        }
        else
        {
            var scheme = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
            if (scheme is not ("https" or "http"))
            {
                throw new ArgumentException($"{setting}: DefaultEndpointsProtocol must be https or http.");
            }
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = ParseEndpoint($"{scheme}://{account}.table.{suffix}", $"{setting}: AccountName and EndpointSuffix");
        }
        return new AzureTablesConnection(endpoint, account, keyBytes);
    }

    /// <summary>
    /// An endpoint alone (<c>https://{account}.table.core.windows.net</c>): requests carry Microsoft Entra tokens.
    /// Plain http is accepted only on loopback, since a bearer token must not cross a network in clear text.
    /// </summary>
    public static AzureTablesConnection FromEndpoint(string? endpoint, string setting = "Storage:TableEndpoint")
    {
        var uri = ParseEndpoint(endpoint, setting);
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new ArgumentException($"{setting} must use https: the bot sends access tokens to it.");
        }
        // Path style (emulators) names the account in the first segment, host style in the first label.
        var path = uri.AbsolutePath.Trim('/');
        var account = path.Length > 0 ? path.Split('/')[0] : uri.Host.Split('.')[0];
        return new AzureTablesConnection(uri, account, accountKey: null);
    }

    private static string Required(Dictionary<string, string> parts, string name, string setting) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ArgumentException(name == "AccountKey"
                ? $"{setting} has no AccountKey. To use a managed identity instead, leave it empty and set Storage:TableEndpoint."
                : $"{setting} has no {name}.");

    private static Uri ParseEndpoint(string? value, string what)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"{what} must be an absolute http(s) address without query, such as https://myaccount.table.core.windows.net.");
        }
        return uri;
    }
}
