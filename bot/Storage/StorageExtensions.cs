using System.ComponentModel.DataAnnotations;
using EmpowerBot.Hosting;
using EmpowerBot.Storage.Sqlite;

namespace EmpowerBot.Storage;

/// <summary>The "Storage" section: which backend holds the tables.</summary>
public sealed class StorageOptions
{
    /// <summary>Sqlite, the embedded default.</summary>
    [RegularExpression("^Sqlite$", ErrorMessage = "Storage:Provider must be Sqlite.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>SQLite database file, relative to the app root.</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/empowerbot.db";
}

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder, string appRoot)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ITableStore>(sp =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
            return new SqliteTableStore(AppRoot.Resolve(appRoot, options.SqlitePath), sp.GetRequiredService<ILogger<SqliteTableStore>>());
        });
        builder.Services.AddHostedService<TableSetup>();
        return builder;
    }
}

/// <summary>Creates the tables before the app takes traffic, and fails start-up with the store's reason if it cannot.</summary>
internal sealed class TableSetup(ITableStore store, ILogger<TableSetup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.EnsureTablesAsync(Tables.All, ct);
        log.LogInformation("Storage ready ({Store})", store.GetType().Name);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
