using System.ComponentModel.DataAnnotations;
using EmpowerBot.Storage.AzureTables;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Storage;

/// <summary>The "Storage" section: which backend holds the tables, and how to reach it.</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "Sqlite";
    public const string AzureTables = "AzureTables";

    /// <summary>Sqlite (the embedded default) or AzureTables.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite database file, relative to the app root.</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/empowerbot.db";

    /// <summary>AzureTables with the account key: an Azure Storage connection string, or UseDevelopmentStorage=true (Azurite).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>AzureTables with Microsoft Entra (managed identity): https://{account}.table.core.windows.net.</summary>
    public string TableEndpoint { get; set; } = "";

    /// <summary>AzureTables: a prefix for every table name, so several deployments can share one storage account.</summary>
    public string TablePrefix { get; set; } = "";

    public bool UsesAzureTables => string.Equals(Provider, AzureTables, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Start-up checks of the "Storage" section, each failure naming the key to fix (and never quoting a secret).</summary>
internal sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }
        if (!options.UsesAzureTables)
        {
            return ValidateOptionsResult.Fail("Storage:Provider must be Sqlite or AzureTables.");
        }
        var (hasString, hasEndpoint) = (options.ConnectionString.Length > 0, options.TableEndpoint.Length > 0);
        if (hasString == hasEndpoint)
        {
            return ValidateOptionsResult.Fail(hasString
                ? "Storage:Provider is AzureTables: set Storage:ConnectionString or Storage:TableEndpoint, not both."
                : "Storage:Provider is AzureTables: set Storage:ConnectionString (an account key connection string, or " +
                  "UseDevelopmentStorage=true for Azurite) or Storage:TableEndpoint (managed identity).");
        }
        var prefix = options.TablePrefix;
        if (prefix.Length > 0 && (prefix.Length > 40 || !char.IsAsciiLetterLower(prefix[0]) || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
        {
            return ValidateOptionsResult.Fail("Storage:TablePrefix must be up to 40 lowercase letters or digits, starting with a letter.");
        }
        try
        {
            AzureTablesConnection.Validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
