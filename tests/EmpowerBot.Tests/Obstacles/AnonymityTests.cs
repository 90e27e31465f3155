using EmpowerBot.Obstacles;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>
/// An anonymous obstacle stores no submitter anywhere: not in any row of any table (read straight from the SQLite
/// file), not in the log (every level, with structured values), not in the outbox (kept undelivered here to read it).
/// </summary>
public sealed class AnonymityTests : IDisposable
{
    private static readonly Someone Robin = new("user-150", "Robin Castellano", "00000000-0000-0000-0000-000000000150");
    private static readonly Someone Backer = Someone.Colleague(151);

    private static readonly string[] Texts =
    [
        "the refunds mailbox isn't monitored at weekends",
        "Weekend rota is published far too late",
        "Nobody reads the refunds inbox",
        "let reps see the courier's live location",
    ];

    private readonly LogRecorder logs = new();
    private readonly BotHost bot;

    public AnonymityTests() =>
        bot = new BotHost(new() { ["Outbox:Enabled"] = "false" }, configureServices: logs.AddTo);

    public void Dispose() => bot.Dispose();

    private static IEnumerable<string> IdentityOf(Someone who) => [who.Key, who.Aad, who.Name, who.ConversationId, who.User];

    private async Task SubmitEveryWayAsync()
    {
        Assert.Contains("Logged anonymously as #1", await bot.SayAsync("obstacle anonymously " + Texts[0], Robin));

        var form = Activities.Message("", user: Robin.User, name: Robin.Name, aad: Robin.Aad);
        form.Remove("text");
        form["value"] = new { command = "obstacle-form", kind = "Obstacle", text = Texts[1], category = "", anonymous = "true" };
        Assert.Contains("Logged anonymously as #2", ObstacleTestKit.Shown(await bot.ExchangeAsync(form)));

        var similar = await bot.SayAsync("anonymous obstacle " + Texts[2], Robin);
        Assert.Contains("to stay anonymous, log yours separately", similar);
        var separate = await bot.ClickAsync("obstacle.log", new { text = Texts[2], kind = "Obstacle", category = "SystemsAndTools", anonymous = true }, Robin);
        Assert.Contains("Logged anonymously as #3", separate.Shown());

        Assert.Contains("Logged anonymously as #4", await bot.SayAsync("idea " + Texts[3] + " (anonymously)", Robin));

        // A named colleague backs #1 and a manager fixes it: the backer is told, through the outbox.
        await bot.ClickAsync("obstacle.vote", new { id = 1 }, Backer);
        Assert.Contains("I'm telling the 1 person behind it", await bot.SayAsync("obstacle 1 fixed Now routed to billing.", Someone.Megan));
    }

    [Fact]
    public async Task The_obstacle_rows_hold_no_submitter_no_team_and_only_the_day_and_the_first_vote_counts_for_nobody()
    {
        bot.Clock.Advance(TimeSpan.FromHours(3.5));
        await SubmitEveryWayAsync();

        var obstacles = await bot.ObstaclesAsync();
        Assert.Equal(Texts, obstacles.Select(o => o.Text));
        Assert.All(obstacles, o => Assert.True(o.Anonymous && o.Submitter is null && o.TeamId is null));
        Assert.All(obstacles, o => Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), o.CreatedAt));
        Assert.Equal([2, 1, 1, 1], obstacles.Select(o => o.Votes));
        Assert.Equal([ObstacleRows.VoteRow(1, Backer.Key)], await bot.VoteRowsAsync(1));
        foreach (var id in new[] { 2, 3, 4 }) Assert.Empty(await bot.VoteRowsAsync(id));
    }

    [Fact]
    public async Task No_row_of_any_table_names_the_anonymous_submitter_except_the_directory_entry_every_chat_keeps()
    {
        await SubmitEveryWayAsync();

        var rows = ReadEveryRow(bot.DatabasePath);
        var naming = rows.Where(r => IdentityOf(Robin).Any(mark => r.Contains(mark, StringComparison.OrdinalIgnoreCase))).ToList();

        // The people table remembers how to reach everyone who ever chatted (any reply needs it); nothing in it
        // points at an obstacle, and nothing in the obstacles or outbox tables points at it.
        var entry = Assert.Single(naming);
        Assert.StartsWith($"entities|{Tables.People}|{Activities.Tenant}|{Robin.Key}|", entry);
        Assert.DoesNotContain(rows, r => r.StartsWith($"entities|{Tables.Obstacles}|", StringComparison.Ordinal) && IdentityOf(Robin).Any(m => r.Contains(m, StringComparison.OrdinalIgnoreCase)));
        var outbox = rows.Where(r => r.StartsWith($"entities|{Tables.Outbox}|", StringComparison.Ordinal)).ToList();
        Assert.Contains(outbox, r => r.Contains(Backer.Key, StringComparison.Ordinal) && r.Contains("Now routed to billing.", StringComparison.Ordinal));
        Assert.DoesNotContain(outbox, r => IdentityOf(Robin).Any(mark => r.Contains(mark, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Nothing_logged_names_the_anonymous_submitter_or_repeats_what_they_wrote()
    {
        await SubmitEveryWayAsync();

        var records = logs.Records;
        // The recorder does record, at every level.
        Assert.Contains(records, r => r.Message.Contains("Logged Obstacle 1", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Debug);
        foreach (var mark in IdentityOf(Robin).Concat(Texts))
        {
            Assert.DoesNotContain(records, r => r.Everything.Contains(mark, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_redelivered_anonymous_submission_is_logged_once_keyed_by_its_text_not_by_the_activity()
    {
        var first = await bot.SayAsync("obstacle anonymously headsets keep disconnecting", Robin, id: "anonymous-1");
        var again = await bot.SayAsync("obstacle anonymously headsets keep disconnecting", Robin, id: "anonymous-1");

        Assert.Equal(first, again);
        Assert.Single(await bot.ObstaclesAsync());
        var idempotency = Assert.Single(await bot.ObstacleRowsAsync(), r => r.RowKey.StartsWith(ObstacleRows.IdempotencyPrefix, StringComparison.Ordinal));
        Assert.NotEqual(ObstacleRows.IdempotencyRow("msteams:anonymous-1"), idempotency.RowKey);
    }

    /// <summary>Every row of every table in the SQLite file, each as "table|column values…".</summary>
    private static List<string> ReadEveryRow(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var db = new SqliteConnection(builder.ToString());
        db.Open();
        var tables = new List<string>();
        using (var list = db.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var rows = new List<string>();
        foreach (var table in tables)
        {
            using var select = db.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(table + "|" + string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        Assert.NotEmpty(rows);
        return rows;
    }
}
