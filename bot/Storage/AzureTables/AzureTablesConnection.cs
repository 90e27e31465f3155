using Azure.Core;
using Azure.Data.Tables;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// Where the table service is and how the bot signs in: a storage connection string (account key, SAS, or
/// <c>UseDevelopmentStorage=true</c> for Azurite), or a table endpoint alone with a Microsoft Entra credential
/// (managed identity). Parsing and signing are the Azure SDK's; this checks the settings up front so that a bad
/// one stops start-up naming its key, and never quotes a value (the SDK's own messages may echo part of the string).
/// </summary>
public static class AzureTablesConnection
{
    public const string DevelopmentStorageAccount = "devstoreaccount1";

    /// <summary>
    /// The emulator's well-known key, published in Microsoft's Azurite documentation: it opens nothing but a
    /// local emulator, so it may live in code (and must never be used for a real account).
    /// </summary>
    public const string DevelopmentStorageKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// The client for the configured account. <paramref name="credential"/> is asked for only when no connection
    /// string is set. Throws <see cref="ArgumentException"/> naming the setting at fault.
    /// </summary>
    public static TableServiceClient CreateClient(StorageOptions options, Func<TokenCredential> credential, TableClientOptions clientOptions)
    {
        if (options.ConnectionString.Length > 0)
        {
            return FromConnectionString(options.ConnectionString, clientOptions);
        }
        return new TableServiceClient(Endpoint(options.TableEndpoint), credential(), clientOptions);
    }

    /// <summary>Checks the settings without signing in or calling out; throws <see cref="ArgumentException"/> naming the key.</summary>
    public static void Validate(StorageOptions options)
    {
        if (options.ConnectionString.Length > 0)
        {
            FromConnectionString(options.ConnectionString, new TableClientOptions());
        }
        else
        {
            Endpoint(options.TableEndpoint);
        }
    }

    /// <summary>The endpoint without a query (a SAS) or trailing slash: safe for logs and error messages.</summary>
    public static string Describe(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static TableServiceClient FromConnectionString(string connectionString, TableClientOptions clientOptions)
    {
        const string setting = "Storage:ConnectionString";
        TableServiceClient client;
        try
        {
            client = new TableServiceClient(connectionString, clientOptions);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{setting}: AccountKey is not valid base64 (copy it again from the storage account's Access keys).");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"{setting} is not a storage connection string: give AccountName and AccountKey (or TableEndpoint and " +
                "SharedAccessSignature), or UseDevelopmentStorage=true for Azurite. To use a managed identity instead, " +
                "leave it empty and set Storage:TableEndpoint.");
        }
        return client.Uri.Scheme is "https" or "http"
            ? client
            : throw new ArgumentException($"{setting}: DefaultEndpointsProtocol must be https or http.");
    }

    private static Uri Endpoint(string value)
    {
        const string setting = "Storage:TableEndpoint";
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"{setting} must be an absolute https address without query, such as https://myaccount.table.core.windows.net.");
        }
        // The SDK refuses to send a bearer token over plain http; say so at start-up, not at the first request.
        return uri.Scheme == Uri.UriSchemeHttps ? uri : throw new ArgumentException($"{setting} must use https: the bot sends access tokens to it.");
    }
}
