using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Bench;

/// <summary>
/// What one Azure Table Storage call costs the caller's CPU, whatever the bot does around it: a bare HttpClient GET,
/// the SDK's point read and a one-operation batch, against Azurite on loopback (started here, stopped by its own
/// process id), one at a time and eight at once. The floor under row e of run.sh: a credit's storage calls times
/// these figures is what the bot cannot go below without making fewer calls.
/// </summary>
internal static class TableCalls
{
    public static async Task RunAsync(int calls)
    {
        var port = FreePort();
        var main = Path.Combine(RepositoryRoot(), "tests", "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(main)) throw new InvalidOperationException($"{main} is missing: run `npm ci --prefix tests` first.");
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = Directory.CreateTempSubdirectory("empowerbot-bench-azurite-").FullName };
        foreach (var arg in new[] { main, "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--tableKeepAliveTimeout", "120" })
            start.ArgumentList.Add(arg);
        using var azurite = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        try
        {
            await WaitForPortAsync(port);
            var endpoint = $"http://127.0.0.1:{port}/{AzureTablesConnection.DevelopmentStorageAccount}";
            var http = new HttpClient(new SocketsHttpHandler());
            // As the bot's client: its own transport, the SDK's logging and tracing off.
            var options = new TableClientOptions { Transport = new HttpClientTransport(http) };
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            var service = new TableServiceClient(new Uri(endpoint),
                new TableSharedKeyCredential(AzureTablesConnection.DevelopmentStorageAccount, AzureTablesConnection.DevelopmentStorageKey), options);
            var table = service.GetTableClient("benchcalls");
            await table.CreateIfNotExistsAsync();
            await table.UpsertEntityAsync(new TableEntity("p", "r") { ["a"] = "x" });
            var url = $"{endpoint}/benchcalls(PartitionKey='p',RowKey='r')";

            Console.WriteLine("| call | at once | calls/s | caller CPU µs/call |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            foreach (var parallel in new[] { 1, 8 })
            {
                // Unauthenticated, so Azurite answers 403 at once: the HTTP round trip alone.
                await MeasureAsync("HttpClient GET (no SDK)", calls, parallel, async () =>
                {
                    using var response = await http.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                });
                await MeasureAsync("SDK point read", calls, parallel, () => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));
                await MeasureAsync("SDK batch of one upsert", calls, parallel, () => table.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r") { ["a"] = "y" })]));
            }
        }
        finally
        {
            azurite.Kill(entireProcessTree: true);
        }
    }

    private static async Task MeasureAsync(string name, int calls, int parallel, Func<Task> call)
    {
        // Connections, then the JIT's tiers: by time, not by count, since tier-up waits on call counts and delays.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(4)) await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => call()));
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (var i = 0; i < calls / parallel; i++) await call();
        }));
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        Console.WriteLine($"| {name} | {parallel} | {calls / clock.Elapsed.TotalSeconds:F0} | {used.TotalMicroseconds / calls:F0} |");
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"Azurite did not answer on port {port}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmpowerBot.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
    }
}
