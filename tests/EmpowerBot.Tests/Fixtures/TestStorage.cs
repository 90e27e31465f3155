using EmpowerBot.Storage;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// Which store a <see cref="BotHost"/> runs on. By default a fresh SQLite file; with the environment variable
/// EMPOWERBOT_TEST_STORAGE=AzureTables every host runs on one Azurite shared by the test run, each with its own
/// table prefix, so hosts start as empty as on SQLite. Tests that want hosts to share state pass
/// <see cref="AzureTables"/> settings with the same prefix.
/// </summary>
public static class TestStorage
{
    public const string Variable = "EMPOWERBOT_TEST_STORAGE";

    // One emulator for every host of the run, started on first use and killed when the test process exits:
    // hosts come and go in any test class, so no fixture outlives them all.
    private static readonly Lazy<Task<AzuriteProcess>> SharedAzurite = new(async () =>
    {
        var azurite = await AzuriteProcess.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return azurite;
    });

    public static bool UsesAzureTables =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), StorageOptions.AzureTables, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Storage settings of a new host: none (SQLite, set by the host) or Azurite with a prefix derived from the
    /// host's SQLite path, so hosts that would share a file (a restart) share their tables on Azurite too.
    /// </summary>
    public static Dictionary<string, string?> ForNewHost(string sqlitePath) => UsesAzureTables
        ? AzureTables(SharedAzurite.Value.GetAwaiter().GetResult().ConnectionString, PrefixFor(sqlitePath))
        : [];

    private static string PrefixFor(string identity) =>
        "t" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..12];

    /// <summary>Settings that put a host on Azure Table Storage; hosts given the same prefix share their tables.</summary>
    public static Dictionary<string, string?> AzureTables(string connectionString, string? tablePrefix = null) => new()
    {
        ["Storage:Provider"] = StorageOptions.AzureTables,
        ["Storage:ConnectionString"] = connectionString,
        ["Storage:TablePrefix"] = tablePrefix ?? NewTablePrefix(),
    };

    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
