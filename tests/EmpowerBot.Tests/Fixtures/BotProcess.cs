using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// The bot as its own process (the EmpowerBot.dll built beside the tests, in local development mode on 127.0.0.1 and
/// a free port), for what a test host cannot do: be killed with SIGKILL mid-write, as a crash or an OOM kill would.
/// Disposing kills it, by its own process id, if it still runs.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private BotProcess(Process process, int port)
    {
        this.process = process;
        Url = new Uri($"http://127.0.0.1:{port}/api/messages");
    }

    public Uri Url { get; }

    /// <summary>What the process printed so far, for a failure message.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>
    /// Starts the bot on the SQLite file <paramref name="sqlitePath"/> (unless <paramref name="settings"/>, environment
    /// variables, choose another store) and waits until /healthz answers 200.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string sqlitePath, params (string Name, string Value)[] settings)
    {
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EmpowerBot.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__Provider"] = "Sqlite";
        start.Environment["Storage__SqlitePath"] = sqlitePath;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings) start.Environment[name] = value;
        var bot = new BotProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), port);
        bot.process.OutputDataReceived += (_, e) => { lock (bot.output) bot.output.AppendLine(e.Data); };
        bot.process.ErrorDataReceived += (_, e) => { lock (bot.output) bot.output.AppendLine(e.Data); };
        bot.process.BeginOutputReadLine();
        bot.process.BeginErrorReadLine();
        var health = new Uri($"http://127.0.0.1:{port}/healthz");
        var until = DateTime.UtcNow + Eventually.Patience;
        while (DateTime.UtcNow < until)
        {
            if (bot.process.HasExited) break;
            try
            {
                using var answer = await bot.http.GetAsync(health);
                if (answer.StatusCode == HttpStatusCode.OK) return bot;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        var printed = bot.Output;
        await bot.DisposeAsync();
        throw new InvalidOperationException($"The bot did not start on port {port}:\n{printed}");
    }

    /// <summary>Sends the activity with deliveryMode expectReplies; the reply texts and card JSON as one string, or null when no answer came.</summary>
    public async Task<string?> ExchangeAsync(Dictionary<string, object?> activity)
    {
        activity["deliveryMode"] = "expectReplies";
        try
        {
            using var response = await http.PostAsync(Url, new StringContent(JsonSerializer.Serialize(activity), Encoding.UTF8, "application/json"));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null; // the process is gone, or went while answering: nothing was acknowledged
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) Kill();
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        http.Dispose();
        return ValueTask.CompletedTask;
    }
}
