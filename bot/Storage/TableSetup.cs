namespace EmpowerBot.Storage;

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
