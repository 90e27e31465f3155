using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EmpowerBot.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// The whole bot in-process, on a fresh SQLite file, in local development mode unless settings say otherwise.
/// Tests talk to it over HTTP exactly as a channel would. EMPOWERBOT_TEST_STORAGE=AzureTables puts every host on
/// Azurite instead (see <see cref="TestStorage"/>); settings passed here override either.
/// </summary>
public sealed class BotHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));

    /// <param name="configureServices">Extra test services (e.g. an outbox handler), registered after the app's own.</param>
    public BotHost(Dictionary<string, string?>? settings = null, FakeTimeProvider? clock = null, Action<IServiceCollection>? configureServices = null)
    {
        this.settings = settings ?? [];
        this.configureServices = configureServices;
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));
    }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath => Path.Combine(dataDir, "empowerbot.db");

    public ITableStore Store => Services.GetRequiredService<ITableStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config =>
        {
            var defaults = new Dictionary<string, string?>
            {
                ["Storage:SqlitePath"] = DatabasePath,
                ["Resilience:BaseDelay"] = "00:00:00.010",
                ["Resilience:MaxDelay"] = "00:00:00.200",
                ["Resilience:AttemptTimeout"] = "00:00:02",
                // Polls on the wall clock; a move of business time wakes the dispatcher at once (OutboxAlarm).
                ["Outbox:PollInterval"] = "00:00:01",
            };
            var sqlitePath = settings.TryGetValue("Storage:SqlitePath", out var configured) && configured is not null ? configured : DatabasePath;
            foreach (var (key, value) in TestStorage.ForNewHost(sqlitePath)) defaults[key] = value;
            foreach (var (key, value) in settings) defaults[key] = value;
            config.AddInMemoryCollection(defaults);
        });
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // A test that sets its own poll interval gets exactly that: no wake when it moves the clock.
            if (!settings.ContainsKey("Outbox:PollInterval")) services.AddHostedService(sp => new OutboxAlarm(Clock, sp.GetRequiredService<EmpowerBot.Outbox.OutboxSignal>()));
            configureServices?.Invoke(services);
        });
    }

    /// <summary>Starts a host with these settings and returns the exception that stops it (failing the test if it starts).</summary>
    public static Exception StartFailure(Dictionary<string, string?> settings)
    {
        using var bot = new BotHost(settings);
        return Assert.ThrowsAny<Exception>(() => bot.Services);
    }

    /// <summary>POSTs an activity to /api/messages as JSON.</summary>
    public async Task<HttpResponseMessage> PostAsync(object activity, string? bearer = null)
    {
        var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity as string ?? JsonSerializer.Serialize(activity), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request);
    }

    /// <summary>Sends with deliveryMode expectReplies and returns the replies from the response body.</summary>
    public async Task<IReadOnlyList<JsonElement>> ExchangeAsync(Dictionary<string, object?> activity, string? bearer = null)
    {
        activity["deliveryMode"] = "expectReplies";
        using var response = await PostAsync(activity, bearer);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("activities").EnumerateArray().Select(a => a.Clone()).ToList();
    }

    /// <summary>
    /// For <c>configureServices</c>: on dispose the host stops waiting for unfinished work at once, as a crash would,
    /// so a test can leave work cut short (a stuck delivery, a turn hanging on a peer) for the next host to find.
    /// </summary>
    public static void StopsAtOnce(IServiceCollection services) =>
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(50));

    /// <summary>Every entity of a table in one partition, read back raw.</summary>
    public Task<List<TableEntity>> RowsAsync(string table, string partition) =>
        Store.QueryAsync(table, partition, null, null, CancellationToken.None).ToListAsync(CancellationToken.None);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
