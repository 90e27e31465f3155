using System.Text.Json;
using EmpowerBot.Obstacles;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Budget;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>
/// Each instance keeps its own picture of the board (<see cref="ObstacleCorpus"/>): it must never show less than what
/// was acknowledged before, on whichever instance, and it must cost a counter read, not a read of the board.
/// </summary>
public sealed class ObstacleCorpusTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("empowerbot-corpus-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string?> Shared() => TestStorage.UsesAzureTables ? [] : new() { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db") };

    [Fact]
    public async Task Two_instances_on_one_store_each_see_what_the_other_just_changed()
    {
        using var first = new BotHost(Shared());
        using var second = new BotHost(Shared(), first.Clock);
        await ChangesSeenAcrossInstancesAsync(first, second);
    }

    /// <summary>The scenario, run on SQLite here and on Azurite by <see cref="ObstacleCorpusOnAzuriteTests"/>.</summary>
    internal static async Task ChangesSeenAcrossInstancesAsync(BotHost first, BotHost second)
    {
        await first.SayAsync("obstacle couriers keep missing the booked delivery slot");
        await first.SayAsync("obstacle the refunds mailbox is not monitored on weekends");
        await first.SayAsync("idea a macro for the warranty replacement email");
        Assert.Contains("3 open obstacles", await second.SayAsync("obstacles")); // the second instance now holds the board

        Assert.Contains("Marked #2 fixed", await second.SayAsync("obstacle 2 fixed", Someone.Megan));
        await first.ClickAsync("obstacle.vote", new { id = 3 }, Someone.Colleague(100));

        foreach (var bot in new[] { first, second })
        {
            var list = await bot.SayAsync("obstacles", Someone.Colleague(101));
            Assert.Contains("2 open obstacles", list);
            Assert.DoesNotContain("refunds mailbox", list);
            Assert.Contains("top: 'a macro for the warranty replacement email' (#3, 2 backers)", list);
        }

        // Submissions racing on both instances: every one logged once, every one on both boards, and a new one's
        // similar check on either instance finds the one just logged on the other.
        string[] topics =
        [
            "the headset battery dies before lunch", "invoices print without the tax number", "chat transfers drop the customer history",
            "no way to reissue a gift card", "the knowledge base search ignores synonyms", "parking validation needs a supervisor",
            "shift swaps take three days to approve", "the returns label printer jams daily", "loyalty points show the wrong balance",
            "the callback queue forgets time zones", "spanish speakers wait twice as long", "address changes need two separate forms",
        ];
        var said = await Task.WhenAll(topics.Select((topic, i) => (i % 2 == 0 ? first : second).SayAsync("obstacle " + topic, Someone.Colleague(110 + i))));
        Assert.All(said, s => Assert.Contains("logged as #", s));
        foreach (var bot in new[] { first, second }) Assert.Contains("14 open obstacles", await bot.SayAsync("obstacles"));
        Assert.Contains("Something similar is already open", await second.SayAsync("obstacle couriers keep missing the delivery slot we booked", Someone.Colleague(130)));
    }

    [Fact]
    public async Task Listing_and_the_similar_check_read_the_counter_not_the_board()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        var log = bot.Services.GetRequiredService<ObstacleLog>();
        var roster = bot.Services.GetRequiredService<EmpowerBot.Conversation.Roster>();
        var alex = roster.Resolve(Activities.Tenant, Someone.Alex.Key, "Alex Wilber");
        for (var i = 0; i < 150; i++)
        {
            await log.LogAsync(alex, new ObstacleDraft(ObstacleKind.Obstacle, $"tool {i} is slow when opening order {i}", ObstacleCategory.SystemsAndTools, false),
                new SubmissionKeys($"k{i}", [$"k{i}"]), CancellationToken.None);
        }
        await bot.SayAsync("obstacles"); // this instance reads the board once

        watch.Clear();
        var list = await bot.SayAsync("obstacles");
        var similar = await bot.SayAsync("obstacle tool 7 is slow when opening order 7");

        Assert.Contains("150 open obstacles", list);
        Assert.Contains("Something similar is already open", similar);
        var read = watch.Calls.Where(c => c.Table == Tables.Obstacles).ToList();
        Assert.True(read.Sum(c => c.Rows) <= 16, $"read {read.Sum(c => c.Rows)} obstacle rows in {read.Count} calls");
    }

    [Fact]
    public async Task An_instance_whose_change_rows_are_gone_or_whose_counter_was_rewritten_reads_the_board_again()
    {
        using var first = new BotHost(Shared());
        using var second = new BotHost(Shared(), first.Clock);
        await first.SayAsync("obstacle couriers keep missing the booked delivery slot");
        Assert.Contains("1 open obstacle", await second.SayAsync("obstacles"));

        // Changes whose rows were pruned before the second instance read them.
        await first.SayAsync("obstacle the refunds mailbox is not monitored on weekends");
        await first.SayAsync("obstacle 1 fixed", Someone.Megan);
        foreach (var row in (await first.ObstacleRowsAsync()).Where(r => r.RowKey.StartsWith(ObstacleRows.ChangePrefix)))
        {
            await first.Store.DeleteAsync(Tables.Obstacles, Activities.Tenant, row.RowKey, TableOperation.AnyETag, CancellationToken.None);
        }
        var list = await second.SayAsync("obstacles");
        Assert.Contains("1 open obstacle", list);
        Assert.Contains("refunds mailbox", list);
        Assert.DoesNotContain("couriers", list);

        // An earlier version of the bot logs one and writes the counter without a version.
        var counter = (await first.Store.GetAsync(Tables.Obstacles, Activities.Tenant, ObstacleRows.CounterRow, CancellationToken.None))!;
        var legacy = new Obstacle(3, ObstacleKind.Idea, "a shared calendar for callbacks", ObstacleCategory.Process, null, first.Clock.GetUtcNow(),
            ObstacleStatus.Open, 1, true, null, []);
        await first.Store.SubmitAsync(Tables.Obstacles,
        [
            TableOperation.Replace(new TableEntity(Activities.Tenant, ObstacleRows.CounterRow, new Dictionary<string, object?> { ["last"] = 3L }), counter.ETag!),
            TableOperation.Insert(ObstacleRows.Write(Activities.Tenant, legacy)),
        ], CancellationToken.None);
        Assert.Contains("2 open obstacles", await second.SayAsync("obstacles"));
        // And the next change counts from there, seen by both.
        await second.SayAsync("obstacle 3 acknowledged", Someone.Megan);
        Assert.Contains("Acknowledged", await first.SayAsync("obstacle 3"));
    }

    [Fact]
    public async Task The_change_log_keeps_its_last_versions_and_prunes_what_is_older()
    {
        using var bot = new BotHost(Shared());
        await bot.SayAsync("obstacle couriers keep missing the booked delivery slot");
        var store = bot.Store;
        var changes = bot.Services.GetRequiredService<ObstacleChanges>();
        // A board far along: the counter one change short of a prune; change rows from its first 300 versions (never
        // pruned yet) and its last 50.
        var version = ObstacleRows.ChangesKept + 255;
        var counter = (await changes.CounterAsync(Activities.Tenant, CancellationToken.None))!;
        await store.SubmitAsync(Tables.Obstacles,
        [
            TableOperation.Replace(new TableEntity(Activities.Tenant, ObstacleRows.CounterRow, new Dictionary<string, object?> { ["last"] = 1L, ["version"] = version }), counter.ETag!),
        ], CancellationToken.None);
        foreach (var chunk in Enumerable.Range(1, 300).Concat(Enumerable.Range((int)version - 49, 50)).Chunk(100))
        {
            await store.SubmitAsync(Tables.Obstacles, chunk.Select(v => TableOperation.Upsert(new TableEntity(Activities.Tenant, ObstacleRows.ChangeRow(v),
                new Dictionary<string, object?> { ["obstacle"] = 1L }))).ToList(), CancellationToken.None);
        }

        Assert.Contains("Marked #1 acknowledged", await bot.SayAsync("obstacle 1 acknowledged", Someone.Megan));

        var kept = (await bot.ObstacleRowsAsync()).Where(r => r.RowKey.StartsWith(ObstacleRows.ChangePrefix)).Select(r => r.RowKey).ToList();
        Assert.Equal(ObstacleRows.ChangeRow(version + 1 - ObstacleRows.ChangesKept), kept.Min());
        Assert.Equal(ObstacleRows.ChangeRow(version + 1), kept.Max());
        Assert.Contains("Acknowledged", await bot.SayAsync("obstacles"));
    }

    [Fact]
    public void On_a_board_of_thousands_sharing_their_words_the_similar_check_still_finds_the_one_meant()
    {
        var board = Enumerable.Range(1, 6_000).Select(i => new Obstacle(i, ObstacleKind.Obstacle, $"refund tool slow when opening order {i}",
            ObstacleCategory.Other, null, DateTimeOffset.UnixEpoch, ObstacleStatus.Open, 1 + i % 7, false, "aad:x", [])).ToList();
        var snapshot = ObstacleSnapshot.Of(1, board);

        Assert.Equal(4321, snapshot.Similar("the refund tool is slow opening order 4321", 3).First().Id);
        // Only words everyone uses: answered from the rarest of them without scoring the whole board, as a full scan would.
        const string vague = "refund tool slow when opening order";
        var matcher = new ObstacleMatcher(board.Select(o => o.Text).Append(vague));
        Assert.Equal(board.Where(o => matcher.Similarity(vague, o.Text) >= ObstacleMatcher.Threshold).Select(o => o.Id).Take(3),
            snapshot.Similar(vague, 3).Select(o => o.Id));
    }

    [Fact]
    public void The_similar_check_finds_exactly_what_a_full_scan_of_the_open_board_finds()
    {
        var texts = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "EmpowerBot.Tests", "Obstacles", "similarity-pairs.json")))
            .RootElement.GetProperty("pairs").EnumerateArray().SelectMany(p => new[] { p.GetProperty("a").GetString()!, p.GetProperty("b").GetString()! })
            .Distinct().ToList();
        var random = new Random(20261203);
        var board = texts.Select((t, i) => new Obstacle(i + 1, ObstacleKind.Obstacle, t, ObstacleCategory.Other, null, DateTimeOffset.UnixEpoch,
            ObstacleStatus.Open, random.Next(1, 9), false, "aad:x", [])).ToList();
        var snapshot = ObstacleSnapshot.Of(1, board);
        // Changes applied one by one, as instances catch up: some closed, some reopened, votes moved.
        for (var round = 0; round < 300; round++)
        {
            var i = random.Next(board.Count);
            board[i] = board[i] with
            {
                Status = random.Next(3) == 0 ? ObstacleStatus.Fixed : ObstacleStatus.Open,
                Votes = board[i].Votes + random.Next(0, 2),
                History = [new StatusChange(ObstacleStatus.Fixed, null, "M", "m", DateTimeOffset.UnixEpoch)],
            };
            snapshot = snapshot.With(round + 2, [board[i]]);
        }

        var open = board.Where(o => !o.IsClosed).ToList();
        Assert.Equal(open.Count, snapshot.OpenCount);
        Assert.Equal(open.OrderByDescending(o => o.Votes).ThenByDescending(o => o.Id).Select(o => o.Id), snapshot.Ranked.Select(o => o.Id));
        var found = 0;
        foreach (var query in texts.Take(120).Append("refunds tool realy slow").Append("the the and"))
        {
            var matcher = new ObstacleMatcher(open.Select(o => o.Text).Append(query));
            var scanned = open.Select(o => (o, Score: matcher.Similarity(query, o.Text))).Where(m => m.Score >= ObstacleMatcher.Threshold)
                .OrderByDescending(m => m.Score).ThenByDescending(m => m.o.Votes).ThenBy(m => m.o.Id).Take(3).Select(m => m.o.Id).ToList();
            Assert.Equal(scanned, snapshot.Similar(query, 3).Select(o => o.Id));
            found += scanned.Count;
        }
        Assert.True(found > 40, $"{found} matches: the comparison must have something to compare");
    }
}

/// <summary>Two bot instances on one Azurite: the same scenario as on SQLite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ObstacleCorpusOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public Task Two_instances_on_one_Azurite_each_see_what_the_other_just_changed() =>
        azurite.OnTwoHostsAsync(ObstacleCorpusTests.ChangesSeenAcrossInstancesAsync);
}
