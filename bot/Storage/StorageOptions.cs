using EmpowerBot.Hosting;
using EmpowerBot.Storage.AzureTables;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Storage;

/// <summary>The "Storage" section: which backend holds the tables, and how to reach it.</summary>
public sealed class StorageOptions : ISettings
{
    public const string Sqlite = "Sqlite";
    public const string AzureTables = "AzureTables";

    /// <summary>Sqlite (the embedded default) or AzureTables.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite database file, relative to the app root.</summary>
    public string SqlitePath { get; set; } = "data/empowerbot.db";

    /// <summary>AzureTables with the account key: an Azure Storage connection string, or UseDevelopmentStorage=true (Azurite).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>AzureTables with Microsoft Entra (managed identity): https://{account}.table.core.windows.net.</summary>
    public string TableEndpoint { get; set; } = "";

    /// <summary>AzureTables: a prefix for every table name, so several deployments can share one storage account.</summary>
    public string TablePrefix { get; set; } = "";

    public bool UsesAzureTables => string.Equals(Provider, AzureTables, StringComparison.OrdinalIgnoreCase);

    /// <summary>Each problem names the key to fix, and never quotes a secret.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(SqlitePath)) yield return "Storage:SqlitePath is required with Storage:Provider Sqlite.";
            yield break;
        }
        if (!UsesAzureTables)
        {
            yield return "Storage:Provider must be Sqlite or AzureTables.";
            yield break;
        }
        var (hasString, hasEndpoint) = (ConnectionString.Length > 0, TableEndpoint.Length > 0);
        if (hasString == hasEndpoint)
        {
            yield return hasString
                ? "Storage:Provider is AzureTables: set Storage:ConnectionString or Storage:TableEndpoint, not both."
                : "Storage:Provider is AzureTables: set Storage:ConnectionString (an account key connection string, or " +
                  "UseDevelopmentStorage=true for Azurite) or Storage:TableEndpoint (managed identity).";
            yield break;
        }
        if (TablePrefix.Length > 0 && (TablePrefix.Length > 40 || !char.IsAsciiLetterLower(TablePrefix[0])
            || !TablePrefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
        {
            yield return "Storage:TablePrefix must be up to 40 lowercase letters or digits, starting with a letter.";
            yield break;
        }
        string? problem = null;
        try
        {
            AzureTablesConnection.Validate(this);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        if (problem is not null) yield return problem;
    }
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
