using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EmpowerBot.Approvals;
using EmpowerBot.Obstacles;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Bench;

/// <summary>
/// What a turn costs as a tenant grows. For each size, a fresh bot on SQLite (in this process, over the test server:
/// no sockets) gets a tenant seeded through its store — approvals over the past year (a few waiting), people on rosters
/// of ten, obstacles (one in five still open), dead letters — then every user-facing turn and /healthz is sent
/// sequentially and timed, after enough unmeasured ones for the JIT to settle. CPU per request is the process's CPU time over the requests (the in-process client
/// included, background services too), so read it across sizes rather than as an absolute.
/// </summary>
public static class Growth
{
    private const string Tenant = "00000000-0000-0000-0000-0000000000001";
    private const string AlexAad = "00000000-0000-0000-0000-0000000000020";
    private const string MeganAad = "00000000-0000-0000-0000-0000000000021";

    private sealed record Size(string Name, int Approvals, int People, int Obstacles, int DeadLetters);

    private static readonly Size[] Sizes =
    [
        new("small", 10, 12, 0, 0),
        new("medium", 1_000, 200, 1_500, 0),
        new("large", 5_000, 1_000, 6_000, 1_000),
        new("10x large", 50_000, 10_000, 60_000, 10_000),
    ];

    private sealed record TurnCase(string Name, string? Text, string Aad, string User, string Who);

    private static readonly TurnCase[] Turns =
    [
        new("budget (rep)", "budget", AlexAad, "user-id-0", "Alex Wilber"),
        new("status (rep)", "status", AlexAad, "user-id-0", "Alex Wilber"),
        new("approvals (manager)", "approvals", MeganAad, "user-id-1", "Megan Bowen"),
        new("team (manager)", "team", MeganAad, "user-id-1", "Megan Bowen"),
        new("obstacles", "obstacles", AlexAad, "user-id-0", "Alex Wilber"),
        new("obstacle <text> (similar check)", "obstacle the loyalty balance 5 times out when opening order 5", AlexAad, "user-id-0", "Alex Wilber"),
        new("GET /healthz", null, "", "", ""),
    ];

    private const int Warmup = 300;

    public static async Task RunAsync(int requests, string? only)
    {
        // The bot's content root, found from here as WebApplicationFactory would from a test project.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EmpowerBot.sln"))) root = root.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_EMPOWERBOT", Path.Combine(root?.FullName ?? ".", "bot"));
        var sizes = Sizes.Where(s => only is null || only.Split(',').Contains(s.Name.Split(' ')[0])).ToList();
        Console.WriteLine($"growth: {requests} sequential requests per turn and size after {Warmup} unmeasured, SQLite, {Environment.ProcessorCount} cores");
        var results = new Dictionary<(string Turn, string Size), (double P50, double P99, double Cpu)>();
        // A first pass on a small tenant, not recorded: the JIT compiles every turn's path before any size is measured.
        await MeasureAsync(Sizes[0] with { Name = "warm-up" }, requests, results, warmup: 2_000);
        foreach (var size in sizes) await MeasureAsync(size, requests, results, Warmup);

        Console.WriteLine();
        Console.WriteLine("| turn | " + string.Join(" | ", sizes.Select(s => $"{s.Name} p50 / p99 ms")) + " | CPU ms per request, " + string.Join(" → ", sizes.Select(s => s.Name)) + " | largest ÷ first | largest ÷ second |");
        Console.WriteLine("| --- | " + string.Join(" | ", sizes.Select(_ => "---:")) + " | ---: | ---: | ---: |");
        foreach (var turn in Turns)
        {
            var row = sizes.Select(s => results[(turn.Name, s.Name)]).ToList();
            Console.WriteLine($"| {turn.Name} | " + string.Join(" | ", row.Select(r => $"{r.P50:0.0} / {r.P99:0.0}")) + " | "
                + string.Join(" → ", row.Select(r => $"{r.Cpu:0.00}")) + $" | {row[^1].Cpu / Math.Max(0.01, row[0].Cpu):0.00}× | {row[^1].Cpu / Math.Max(0.01, row[Math.Min(1, row.Count - 1)].Cpu):0.00}× |");
        }
    }

    /// <summary>Sends the turn; returns the start of what the person would read, to show each turn does what it says.</summary>
    private static async Task MeasureAsync(Size size, int requests, Dictionary<(string Turn, string Size), (double P50, double P99, double Cpu)> results, int warmup)
    {
        var seed = Stopwatch.StartNew();
        var dir = Path.Combine(Path.GetTempPath(), "empowerbot-growth", Guid.NewGuid().ToString("N"));
        await using (var bot = new GrowthHost(Path.Combine(dir, "bot.db"), size.People))
        {
            var client = bot.CreateClient();
            await SeedAsync(bot.Services, size);
            Console.Error.WriteLine($"{size.Name}: seeded in {seed.Elapsed.TotalSeconds:0.0} s");
            foreach (var turn in Turns)
            {
                Console.Error.WriteLine($"  {turn.Name}: {await SendAsync(client, turn)}");
                // Unmeasured: enough for the tiered JIT to have compiled this turn's path optimised.
                for (var i = 0; i < warmup; i++) await SendAsync(client, turn);
                var latencies = new double[requests];
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < requests; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await SendAsync(client, turn);
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / requests;
                Array.Sort(latencies);
                results[(turn.Name, size.Name)] = (Percentile(latencies, 0.5), Percentile(latencies, 0.99), cpuMs);
            }
        }
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    private static async Task<string> SendAsync(HttpClient client, TurnCase turn)
    {
        if (turn.Text is null)
        {
            using var health = await client.GetAsync("/healthz");
            var json = await health.Content.ReadAsStringAsync();
            if (!health.IsSuccessStatusCode) throw new InvalidOperationException($"/healthz answered {(int)health.StatusCode}");
            return json[..Math.Min(160, json.Length)];
        }
        var activity = new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["serviceUrl"] = "http://127.0.0.1:9/_connector",
            ["channelId"] = "msteams",
            ["from"] = new { id = turn.User, name = turn.Who, aadObjectId = turn.Aad },
            ["conversation"] = new { conversationType = "personal", tenantId = Tenant, id = "growth-" + turn.Aad[^4..] },
            ["recipient"] = new { id = "28:bench-bot", name = "EmpowerBot" },
            ["channelData"] = new { tenant = new { id = Tenant } },
            ["text"] = turn.Text,
            ["deliveryMode"] = "expectReplies",
        };
        using var response = await client.PostAsJsonAsync("/api/messages", activity);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains("\"activities\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{turn.Text}' answered {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        }
        var said = JsonDocument.Parse(body).RootElement.GetProperty("activities").EnumerateArray()
            .Select(a => a.TryGetProperty("summary", out var summary) ? summary.GetString() : a.TryGetProperty("text", out var text) ? text.GetString() : "").FirstOrDefault() ?? "";
        return said[..Math.Min(160, said.Length)];
    }

    private static async Task SeedAsync(IServiceProvider services, Size size)
    {
        var store = services.GetRequiredService<ITableStore>();
        var approvals = services.GetRequiredService<ApprovalStore>();
        var now = DateTimeOffset.UtcNow;
        var random = new Random(42);
        string Person(int i) => i == 0 ? "aad:" + AlexAad : $"aad:00000000-0000-0000-0001-{i:D12}";

        // Everyone the bot has met: a conversation reference each.
        foreach (var chunk in Enumerable.Range(0, size.People).Chunk(100))
        {
            await store.SubmitAsync(Tables.People, chunk.Select(i => TableOperation.Upsert(new TableEntity(Tenant, Person(i), new Dictionary<string, object?>
            {
                ["userName"] = $"Person {i}", ["conversationId"] = $"conv-{i}", ["serviceUrl"] = "http://127.0.0.1:9/_connector", ["channelId"] = "msteams",
            }))).ToList(), default);
        }

        // Approvals over the past year, through the store's own API (so its indexes are written as in production): a
        // handful still waiting for Megan, the rest decided.
        await Parallel.ForEachAsync(Enumerable.Range(0, size.Approvals), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var requester = i < 5 ? 0 : i % Math.Max(1, size.People);
            var at = i < 5 ? now.AddHours(-i - 1) : now.AddMinutes(-(i * 525_600L / Math.Max(1, size.Approvals)) - 60);
            var team = requester < 10 ? "demo" : $"team{requester / 10}";
            var request = new ApprovalRequest($"bench{i:D6}", Tenant, Person(requester), $"Person {requester}", team, $"{Tenant}|{Person(requester)}|{at:yyyy-MM}",
                $"C-{i:D6}", 15000, "USD", $"CUST-{i % 977}", "late delivery", "Exception threshold", "Over the $100 single-credit limit",
                [team == "demo" ? "aad:" + MeganAad : $"aad:00000000-0000-0000-0002-{requester / 10:D12}"], ApprovalStatus.Pending, at, at.AddDays(1));
            var created = await approvals.CreateOrGetAsync(request, ct);
            if (i >= 5)
            {
                await approvals.TryReplaceAsync(created with { Status = i % 7 == 0 ? ApprovalStatus.Declined : ApprovalStatus.Approved, DecidedAt = at.AddMinutes(30), DecidedBy = "aad:m" }, ct);
            }
        });

        // Obstacles, one in five still open, written as rows (a board this size is years of submissions).
        var partition = ObstacleRows.Partition(Tenant);
        string[] subjects = ["refund tool", "courier portal", "phone system", "returns label printer", "chat transfer", "loyalty balance", "warranty form", "callback queue"];
        string[] failures = ["times out when opening order", "freezes after saving case", "drops the customer on transfer", "shows the wrong total for invoice", "needs a supervisor for ticket"];
        foreach (var chunk in Enumerable.Range(1, size.Obstacles).Chunk(100))
        {
            await store.SubmitAsync(Tables.Obstacles, chunk.Select(id =>
            {
                var closed = id % 5 != 0;
                var created = now.AddMinutes(-id * 3);
                var obstacle = new Obstacle(id, id % 4 == 0 ? ObstacleKind.Idea : ObstacleKind.Obstacle,
                    $"the {subjects[id % subjects.Length]} {id} {failures[(id / 8) % failures.Length]} {id}", ObstacleCategory.SystemsAndTools, $"team{id % 100}",
                    created, closed ? ObstacleStatus.Fixed : ObstacleStatus.Open, 1 + random.Next(12), false, Person(id % Math.Max(1, size.People)),
                    closed ? [new StatusChange(ObstacleStatus.Fixed, "done", "Megan Bowen", "aad:" + MeganAad, created.AddDays(2))] : []);
                return TableOperation.Upsert(ObstacleRows.Write(partition, obstacle));
            }).ToList(), default);
        }
        if (size.Obstacles > 0)
        {
            await store.SubmitAsync(Tables.Obstacles, [.. ObstacleRows.Changed(partition, null, size.Obstacles, last: size.Obstacles)], default);
        }

        // Dead letters: messages no handler delivers, dead-lettered by the outbox itself.
        var outbox = services.GetRequiredService<OutboxWriter>();
        await Parallel.ForEachAsync(Enumerable.Range(0, size.DeadLetters), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await outbox.EnqueueAsync(new OutboxMessage($"bench-dead-{i}", "bench.undeliverable", "{}", now), ct));
        var health = services.GetRequiredService<OutboxHealth>();
        var deadline = Stopwatch.StartNew();
        while (size.DeadLetters > 0 && (await health.ReadAsync(default)).DeadLetters < size.DeadLetters && deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(500);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>The bot with a roster of teams of ten (demo: Alex, Megan and eight more) and nobody off the roster.</summary>
    private sealed class GrowthHost(string sqlitePath, int people) : WebApplicationFactory<ApprovalStore> // any type of the bot's assembly names its entry point
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureAppConfiguration(config =>
            {
                var settings = new Dictionary<string, string?>
                {
                    ["Storage:SqlitePath"] = sqlitePath,
                    ["Logging:LogLevel:Default"] = "Warning",
                    // The seeded dead letters are each logged as an error as the outbox gives them up.
                    ["Logging:LogLevel:EmpowerBot.Outbox"] = "Critical",
                    ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                    ["Organization:UnlistedPeople"] = "Guest",
                    ["Organization:DefaultTeam"] = "",
                };
                var teams = Math.Max(1, (people + 9) / 10);
                for (var t = 1; t < teams; t++)
                {
                    var p = $"Organization:Teams:{t}:";
                    settings[p + "Id"] = $"team{t}";
                    settings[p + "Name"] = $"Team {t}";
                    settings[p + "Currency"] = "USD";
                    settings[p + "TimeZone"] = "America/New_York";
                    settings[p + "MonthlyBudget"] = "200";
                    settings[p + "Members:0:Id"] = $"aad:00000000-0000-0000-0002-{t:D12}";
                    settings[p + "Members:0:Name"] = $"Manager {t}";
                    settings[p + "Members:0:Role"] = "Manager";
                    for (var m = 1; m <= 10; m++)
                    {
                        settings[p + $"Members:{m}:Id"] = $"aad:00000000-0000-0000-0001-{t * 10 + m - 1:D12}";
                        settings[p + $"Members:{m}:Name"] = $"Person {t * 10 + m - 1}";
                        settings[p + $"Members:{m}:Role"] = "Rep";
                    }
                }
                for (var m = 1; m <= 9; m++)
                {
                    settings[$"Organization:Teams:0:Members:{m + 1}:Id"] = $"aad:00000000-0000-0000-0001-{m:D12}";
                    settings[$"Organization:Teams:0:Members:{m + 1}:Name"] = $"Person {m}";
                    settings[$"Organization:Teams:0:Members:{m + 1}:Role"] = "Rep";
                }
                config.AddInMemoryCollection(settings);
            });
        }
    }
}
