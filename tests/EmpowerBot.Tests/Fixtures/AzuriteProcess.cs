using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// One Azurite table service (the official Azure Storage emulator, pinned in tests/package.json) on a free
/// loopback port, run with node from tests/node_modules. In memory unless given a folder to persist to.
/// Disposing kills it, by its own process id, with its whole process tree.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Path-style endpoint of the emulator's account, as in its connection string.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{AzureTablesConnection.DevelopmentStorageAccount}";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzureTablesConnection.DevelopmentStorageAccount};" +
        $"AccountKey={AzureTablesConnection.DevelopmentStorageKey};TableEndpoint={Endpoint};";

    /// <summary>
    /// Starts Azurite and waits until its port answers. <paramref name="location"/> persists data to that folder
    /// (so a restart on the same port finds it again); without it everything lives in memory.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(int? port = null, string? location = null)
    {
        var main = Path.Combine(RepositoryRoot(), "tests", "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({main} is missing). Run `npm ci --prefix tests` from the repository root: " +
                "tests/package.json and tests/package-lock.json pin the emulator the Azure Table Storage tests run against.");
        }
        var chosen = port ?? FreePort();
        var workDir = location ?? Directory.CreateTempSubdirectory("empowerbot-azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var watchdog = Path.Combine(RepositoryRoot(), "tests", "EmpowerBot.Tests", "Fixtures", "azurite-watchdog.cjs");
        foreach (var arg in new[] { "--require", watchdog, main, "--disableTelemetry", "--skipApiVersionCheck", "--tableHost", "127.0.0.1", "--tablePort", chosen.ToString() })
        {
            start.ArgumentList.Add(arg);
        }
        // Azurite refuses --location together with --inMemoryPersistence.
        start.ArgumentList.Add(location is null ? "--inMemoryPersistence" : "--location");
        if (location is not null)
        {
            start.ArgumentList.Add(location);
        }
        // Longer than the client's idle connections live, so the emulator never closes one under a request.
        start.ArgumentList.Add("--tableKeepAliveTimeout");
        start.ArgumentList.Add("120");

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, output, chosen);
        try
        {
            await azurite.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the emulator as Ctrl+C would (it saves a persisted store first), or kills it after 10 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        if (!OperatingSystem.IsWindows() && await SignalAsync("-INT"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Fall through to the kill.
            }
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening:\n{Output()}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {Port} within {limit.TotalSeconds} s:\n{Output()}");
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>A loopback port free at this moment, for a server a test starts.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmpowerBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (with EmpowerBot.sln) was not found above the test assembly.");
    }

    private async Task<bool> SignalAsync(string signal)
    {
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false };
        kill.ArgumentList.Add(signal);
        kill.ArgumentList.Add(_process.Id.ToString());
        using var sender = Process.Start(kill);
        if (sender is null)
        {
            return false;
        }
        await sender.WaitForExitAsync();
        return sender.ExitCode == 0;
    }
}
