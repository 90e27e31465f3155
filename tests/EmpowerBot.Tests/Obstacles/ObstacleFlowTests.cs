using System.Text.Json;
using EmpowerBot.Obstacles;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>Logging, finding and backing obstacles end to end through /api/messages.</summary>
public sealed class ObstacleFlowTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task A_typed_obstacle_is_logged_with_a_suggested_category_the_team_and_the_submitter_s_vote()
    {
        var reply = await bot.SayAsync("obstacle the refunds mailbox isn't monitored");

        Assert.Contains("logged as #1", reply);
        var obstacle = Assert.Single(await bot.ObstaclesAsync());
        Assert.Equal("the refunds mailbox isn't monitored", obstacle.Text);
        Assert.Equal(ObstacleKind.Obstacle, obstacle.Kind);
        Assert.Equal(ObstacleCategory.SystemsAndTools, obstacle.Category);
        Assert.Equal("demo", obstacle.TeamId);
        Assert.Equal(bot.Clock.GetUtcNow(), obstacle.CreatedAt);
        Assert.Equal(Someone.Alex.Key, obstacle.Submitter);
        Assert.Equal(1, obstacle.Votes);
        Assert.Equal([ObstacleRows.VoteRow(1, Someone.Alex.Key)], await bot.VoteRowsAsync(1));
    }

    [Fact]
    public async Task An_idea_is_logged_as_an_idea_and_ids_keep_counting_across_kinds()
    {
        await bot.SayAsync("obstacle couriers miss the booked delivery slots");
        var reply = await bot.SayAsync("Idea: a shared template for damaged-item replies");

        Assert.Contains("logged as #2", reply);
        var idea = await bot.ObstacleAsync(2);
        Assert.Equal(ObstacleKind.Idea, idea.Kind);
        Assert.Equal("a shared template for damaged-item replies", idea.Text);
    }

    [Fact]
    public async Task Obstacle_alone_opens_the_form_and_submitting_it_logs_with_the_chosen_category()
    {
        var form = (await bot.ExchangeAsync(Activities.Message("obstacle"))).Single().Card()!.Value.GetRawText();
        Assert.Contains("obstacle-form", form);
        Assert.Empty(await bot.ObstaclesAsync());

        var submit = Activities.Message("");
        submit.Remove("text");
        submit["value"] = new { command = "obstacle-form", kind = "Idea", text = "Weekend cover for the returns desk", category = "Process", anonymous = "false" };
        var reply = (await bot.ExchangeAsync(submit)).Everything();

        Assert.Contains("logged as #1", reply);
        var idea = await bot.ObstacleAsync(1);
        Assert.Equal((ObstacleKind.Idea, ObstacleCategory.Process, "Weekend cover for the returns desk"), (idea.Kind, idea.Category, idea.Text));
    }

    [Fact]
    public async Task Log_it_clicked_twice_or_from_two_devices_logs_one_obstacle_and_both_answers_name_it()
    {
        var form = (await bot.ExchangeAsync(Activities.Message("obstacle"))).Single().Card()!.Value;
        var op = form.GetProperty("actions")[0].GetProperty("data").GetProperty("op").GetString();
        Dictionary<string, object?> Submit()
        {
            var submit = Activities.Message("");
            submit.Remove("text");
            submit["value"] = new { command = "obstacle-form", op, kind = "Idea", text = "Weekend cover for the returns desk", category = "Process", anonymous = "false" };
            return submit;
        }

        var first = (await bot.ExchangeAsync(Submit())).Everything();
        var others = await Task.WhenAll(bot.ExchangeAsync(Submit()), bot.ExchangeAsync(Submit()));

        Assert.Contains("logged as #1", first);
        Assert.All(others, o => Assert.Contains("#1", o.Everything()));
        Assert.Single(await bot.ObstaclesAsync());
    }

    [Fact]
    public async Task Something_similar_already_open_is_shown_first_and_nothing_is_logged_until_the_person_chooses()
    {
        await bot.SayAsync("obstacle Nobody reads refunds@ inbox", Someone.Colleague(100));

        var reply = await bot.SayAsync("obstacle the refunds mailbox isn't monitored");

        Assert.Contains("'Nobody reads refunds@ inbox', backed by 1 person", reply); // whoever raised it: it may be the writer's own
        Assert.Contains("obstacle.vote", reply);
        Assert.Contains("Log mine separately", reply);
        Assert.Single(await bot.ObstaclesAsync());

        var backed = await bot.ClickAsync("obstacle.vote", new { id = 1 });
        Assert.Contains("You backed #1: 2 people behind it now", backed.Shown());
        Assert.Equal(2, (await bot.ObstacleAsync(1)).Votes);

        var separate = await bot.ClickAsync("obstacle.log", new { text = "the refunds mailbox isn't monitored", kind = "Obstacle", category = "SystemsAndTools", anonymous = false });
        Assert.Equal(200, separate.GetProperty("statusCode").GetInt32());
        Assert.Contains("logged as #2", separate.Shown());
        Assert.Equal("the refunds mailbox isn't monitored", (await bot.ObstacleAsync(2)).Text);
    }

    [Fact]
    public async Task The_list_shows_the_most_backed_first_then_the_newest_with_a_vote_button_each()
    {
        await bot.SayAsync("obstacle phone system drops calls after ten minutes", Someone.Colleague(100));
        await bot.SayAsync("obstacle couriers keep missing delivery slots", Someone.Colleague(101));
        await bot.SayAsync("obstacle the knowledge base has no article on warranties", Someone.Colleague(102));
        await bot.ClickAsync("obstacle.vote", new { id = "1" }, Someone.Colleague(103));

        var list = (await bot.ExchangeAsync(Activities.Message("obstacles"))).Single().Card()!.Value;
        var items = list.GetProperty("body").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "Container").ToList();
        var texts = items.Select(i => i.GetProperty("items")[0].GetProperty("text").GetString()).ToList();

        Assert.Equal(["phone system drops calls after ten minutes", "the knowledge base has no article on warranties", "couriers keep missing delivery slots"], texts);
        Assert.All(items, i => Assert.Contains("obstacle.vote", i.Shown()));
        Assert.DoesNotContain("obstacle.status", list.Shown());
    }

    [Fact]
    public async Task A_second_plus_one_from_the_same_person_changes_nothing()
    {
        await bot.SayAsync("obstacle couriers keep missing delivery slots", Someone.Colleague(100));
        await bot.ClickAsync("obstacle.vote", new { id = 1 });

        var again = await bot.ClickAsync("obstacle.vote", new { id = 1 });

        Assert.Contains("You already backed #1", again.Shown());
        Assert.Equal(2, (await bot.ObstacleAsync(1)).Votes);
        Assert.Equal(2, (await bot.VoteRowsAsync(1)).Count);
    }

    [Fact]
    public async Task A_plus_one_on_an_unknown_or_closed_obstacle_says_so_and_changes_nothing()
    {
        await bot.SayAsync("obstacle couriers keep missing delivery slots", Someone.Colleague(100));
        await bot.SayAsync("obstacle 1 fixed New courier from Monday", Someone.Megan);
        var before = await bot.ObstacleRowsAsync();

        var closed = await bot.ClickAsync("obstacle.vote", new { id = 1 });
        var unknown = await bot.ClickAsync("obstacle.vote", new { id = 99999 });
        var nonsense = await bot.ClickAsync("obstacle.vote", new { id = "twelve" });

        Assert.Contains("#1 is already fixed, so it takes no more +1s", closed.Shown());
        Assert.Contains("There is no obstacle or idea #99999", unknown.Shown());
        Assert.Equal(400, nonsense.GetProperty("statusCode").GetInt32());
        Assert.Equal(before.Select(r => (r.RowKey, r.ETag)), (await bot.ObstacleRowsAsync()).Select(r => (r.RowKey, r.ETag)));
    }

    [Theory]
    [InlineData(1001, "1,001 characters")]
    [InlineData(10 * 1024, "too long")]
    public async Task Overlong_text_is_refused_with_a_clear_message_and_logs_nothing(int length, string named)
    {
        var reply = await bot.SayAsync("obstacle " + new string('x', length));

        Assert.Contains(named, reply);
        Assert.Empty(await bot.ObstacleRowsAsync());
    }

    [Fact]
    public async Task An_empty_form_is_sent_back_with_the_problem_and_logs_nothing()
    {
        var submit = Activities.Message("");
        submit.Remove("text");
        submit["value"] = new { command = "obstacle-form", kind = "Obstacle", text = "   ", category = "", anonymous = "false" };

        var reply = (await bot.ExchangeAsync(submit)).Everything();

        Assert.Contains("Describe what gets in the way", reply);
        Assert.Empty(await bot.ObstacleRowsAsync());
    }

    [Fact]
    public async Task Markup_mentions_and_html_are_stored_as_typed_and_shown_inert()
    {
        const string typed = "**URGENT** [click here](https://evil.example) <b>bold</b> <at>Megan</at> `code` ${name} & {{DATE(2026-11-22T00:00:00Z)}}";

        var reply = (await bot.ExchangeAsync(Activities.Message("obstacle " + typed))).Single();

        Assert.Equal(typed, (await bot.ObstacleAsync(1)).Text);
        var shown = reply.Card()!.Value.GetProperty("body").EnumerateArray().Select(e => e.TryGetProperty("text", out var t) ? t.GetString() : null).ToList();
        Assert.Contains(@"\*\*URGENT\*\* \[click here\](https://evil.example) \<b\>bold\</b\> \<at\>Megan\</at\> \`code\` ${name} \& {" + "\u200B" + "{DATE(2026-11-22T00:00:00Z)}}", shown);
    }

    [Fact]
    public async Task A_redelivered_obstacle_message_is_logged_once_and_answered_alike()
    {
        var first = await bot.SayAsync("obstacle the CRM logs me out every hour", id: "redelivered-1");
        var again = await bot.SayAsync("obstacle the CRM logs me out every hour", id: "redelivered-1");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => bot.SayAsync("obstacle the CRM logs me out every hour", id: "redelivered-1")));

        Assert.Equal(first, again);
        Assert.Single(await bot.ObstaclesAsync());
        Assert.Single(await bot.VoteRowsAsync(1));
        Assert.Single(await bot.ObstacleRowsAsync(), r => r.RowKey.StartsWith(ObstacleRows.IdempotencyPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Thirty_two_concurrent_submissions_get_thirty_two_distinct_sequential_ids()
    {
        string[] topics = ["mailbox", "courier", "headset", "CRM", "phone", "warranty", "rota", "labels"];
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            bot.SayAsync($"obstacle problem {i}: the {topics[i % 8]} thing number {i} {Guid.NewGuid():N}", Someone.Colleague(100 + i))));

        var obstacles = await bot.ObstaclesAsync();
        Assert.Equal(Enumerable.Range(1, 32), obstacles.Select(o => o.Id));
        Assert.Equal(32, obstacles.Select(o => o.Text).Distinct().Count());
        Assert.Equal(32, (await bot.ObstacleRowsAsync()).Single(r => r.RowKey == ObstacleRows.CounterRow).GetInt64("last"));
    }

    [Fact]
    public async Task Obstacle_and_its_number_shows_where_it_stands()
    {
        await bot.SayAsync("obstacle couriers keep missing delivery slots", Someone.Colleague(100));

        var reply = await bot.SayAsync("obstacle 1");
        var unknown = await bot.SayAsync("obstacle 4711");

        Assert.Contains("Obstacle #1", reply);
        Assert.Contains("couriers keep missing delivery slots", reply);
        Assert.Contains("obstacle.vote", reply);
        Assert.Contains("There is no obstacle or idea #4711", unknown);
    }

    [Fact]
    public async Task Help_lists_the_obstacle_commands_and_triage_only_for_managers()
    {
        var rep = await bot.SayAsync("help");
        var manager = await bot.SayAsync("help", Someone.Megan);

        foreach (var usage in new[] { "obstacle the refunds mailbox", "idea a shared template", "Obstacles and ideas" })
        {
            Assert.Contains(usage, rep);
        }
        Assert.DoesNotContain("obstacle 12 fixed", rep);
        Assert.Contains("obstacle 12 fixed", manager);
    }

    [Fact]
    public async Task A_text_that_starts_with_a_number_is_a_new_obstacle_not_a_status_change()
    {
        var reply = await bot.SayAsync("obstacle 3 of our headsets are broken");

        Assert.Contains("logged as #1", reply);
        Assert.Equal("3 of our headsets are broken", (await bot.ObstacleAsync(1)).Text);
    }

}
