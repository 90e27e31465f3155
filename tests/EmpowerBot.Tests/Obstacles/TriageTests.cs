using EmpowerBot.Obstacles;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>Managers set the status; everyone who raised or backed it hears, once; nobody else can change it.</summary>
public sealed class TriageTests : IAsyncLifetime
{
    private readonly BotHost bot = new();
    private FakeConnector connector = null!;
    private static readonly Someone Backer1 = Someone.Colleague(100);
    private static readonly Someone Backer2 = Someone.Colleague(101);

    public async Task InitializeAsync()
    {
        connector = await FakeConnector.StartAsync();
        await bot.SayAsync("obstacle couriers keep missing the booked delivery slot", Someone.Alex, serviceUrl: connector.ServiceUrl);
        await bot.ClickAsync("obstacle.vote", new { id = 1 }, Backer1, connector.ServiceUrl);
        await bot.ClickAsync("obstacle.vote", new { id = 1 }, Backer2, connector.ServiceUrl);
        await bot.SayAsync("budget", Someone.Megan, serviceUrl: connector.ServiceUrl);
        connector.Clear();
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    private async Task<string> MeganSaysAsync(string text) => await bot.SayAsync(text, Someone.Megan, serviceUrl: connector.ServiceUrl);

    private async Task<Dictionary<string, List<string>>> MessagesByConversationAsync(int expected)
    {
        await connector.WaitForPostedAsync(expected);
        await bot.OutboxIdleAsync(); // and nothing more arrives
        return connector.Calls
            .Where(c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal))
            .GroupBy(c => c.Path.Split('/')[^2])
            .ToDictionary(g => g.Key, g => g.Select(c => c.Body.GetProperty("text").GetString()!).ToList());
    }

    [Fact]
    public async Task Fixed_tells_the_submitter_and_every_backer_once_with_the_note_and_not_the_manager()
    {
        var reply = await MeganSaysAsync("obstacle 1 fixed Routed to the billing queue.");

        Assert.Contains("Marked #1 fixed. I'm telling the 3 people behind it.", reply);
        var messages = await MessagesByConversationAsync(3);
        Assert.Equal(new[] { Someone.Alex, Backer1, Backer2 }.Select(p => p.ConversationId).Order(), messages.Keys.Order());
        Assert.All(messages.Values, m => Assert.Contains("Note from Megan Bowen: 'Routed to the billing queue.'", Assert.Single(m)));
        Assert.Contains("Good news: 'couriers keep missing the booked delivery slot' (#1), which you raised, is fixed.", messages[Someone.Alex.ConversationId][0]);
        Assert.Contains("which you backed, is fixed.", messages[Backer1.ConversationId][0]);
        var fixedOne = await bot.ObstacleAsync(1);
        Assert.Equal(ObstacleStatus.Fixed, fixedOne.Status);
        Assert.Equal(("Routed to the billing queue.", "Megan Bowen"), (fixedOne.LastChange!.Note, fixedOne.LastChange.By));
        Assert.Equal(1, fixedOne.Announced);
    }

    [Fact]
    public async Task Saying_it_again_changes_nothing_and_tells_nobody_twice()
    {
        await MeganSaysAsync("obstacle 1 fixed Routed to the billing queue.");
        await MessagesByConversationAsync(3);

        var again = await MeganSaysAsync("obstacle 1 fixed Routed to the billing queue.");

        Assert.Contains("#1 is already fixed", again);
        Assert.Equal(3, (await MessagesByConversationAsync(3)).Values.Sum(m => m.Count));
        Assert.Equal(1, (await bot.ObstacleAsync(1)).Changes);
    }

    [Fact]
    public async Task A_fan_out_cut_short_by_a_crash_is_finished_when_the_manager_says_it_again()
    {
        // The status change committed, then the process died before anyone was told.
        var row = (await bot.ObstacleRowsAsync()).Single(r => r.RowKey == "1");
        var crashed = ObstacleRows.Read(row) with
        {
            Status = ObstacleStatus.Fixed,
            History = [new StatusChange(ObstacleStatus.Fixed, "New courier", "Megan Bowen", Someone.Megan.Key, bot.Clock.GetUtcNow())],
            Changes = 1,
        };
        await bot.Store.ReplaceAsync(Tables.Obstacles, ObstacleRows.Write(row.PartitionKey, crashed), row.ETag!, default);

        var again = await MeganSaysAsync("obstacle 1 fixed");

        Assert.Contains("I've made sure the 3 people behind it heard", again);
        Assert.All((await MessagesByConversationAsync(3)).Values, m => Assert.Contains("Note from Megan Bowen: 'New courier'", Assert.Single(m)));
        Assert.Equal(1, (await bot.ObstacleAsync(1)).Announced);
    }

    [Fact]
    public async Task A_status_button_on_the_card_works_like_the_command_and_carries_the_note()
    {
        var answer = await bot.ClickAsync("obstacle.status", new { id = 1, status = "acknowledged", note = "Talking to the courier." }, Someone.Megan, connector.ServiceUrl);

        Assert.Equal(200, answer.GetProperty("statusCode").GetInt32());
        Assert.Contains("Marked #1 acknowledged", answer.Shown());
        var messages = await MessagesByConversationAsync(3);
        Assert.All(messages.Values, m => Assert.Contains("Megan Bowen has acknowledged", Assert.Single(m)));
        Assert.Equal(ObstacleStatus.Acknowledged, (await bot.ObstacleAsync(1)).Status);
    }

    [Fact]
    public async Task The_note_typed_under_an_item_of_the_list_travels_with_its_status_button()
    {
        await bot.ClickAsync("obstacle.status", new { id = 1, status = "in-progress" }, Someone.Megan, connector.ServiceUrl);
        var answer = await bot.ClickAsync("obstacle.status", new Dictionary<string, object> { ["id"] = 1, ["status"] = "wontfix", ["note-1"] = "Courier contract ends in March." }, Someone.Megan, connector.ServiceUrl);

        Assert.Contains("Marked #1 won't fix", answer.Shown());
        Assert.Equal("Courier contract ends in March.", (await bot.ObstacleAsync(1)).LastChange!.Note);
    }

    [Fact]
    public async Task A_rep_cannot_set_a_status_by_command_or_by_a_forged_card_action()
    {
        var before = await bot.ObstacleRowsAsync();

        var typed = await bot.SayAsync("obstacle 1 fixed", Backer1, serviceUrl: connector.ServiceUrl);
        var forged = await bot.ClickAsync("obstacle.status", new { id = 1, status = "fixed", note = "done" }, Backer1, connector.ServiceUrl);
        var submitter = await bot.ClickAsync("obstacle.status", new { id = 1, status = "wontfix", note = "meh" }, Someone.Alex, connector.ServiceUrl);

        Assert.Contains("Only managers can set the status", typed);
        Assert.Equal(403, forged.GetProperty("statusCode").GetInt32());
        Assert.Equal(403, submitter.GetProperty("statusCode").GetInt32());
        Assert.Equal(before.Select(r => (r.RowKey, r.ETag)), (await bot.ObstacleRowsAsync()).Select(r => (r.RowKey, r.ETag)));
        await bot.OutboxIdleAsync();
        Assert.Empty(connector.Posted);
    }

    [Theory]
    [InlineData("obstacle 1 finished", "'finished' is not a status I know")]
    [InlineData("obstacle 99999 fixed", "There is no obstacle or idea #99999")]
    [InlineData("obstacle 99999999999999 fixed", "There is no obstacle or idea #99999999999999")]
    [InlineData("obstacle 1 wontfix", "Won't fix needs a reason")]
    [InlineData("obstacle 1 reopen", "#1 is already open")]
    public async Task Bad_status_commands_get_a_clear_message_and_change_nothing(string text, string named)
    {
        var before = await bot.ObstacleRowsAsync();

        var reply = await MeganSaysAsync(text);

        Assert.Contains(named, reply);
        Assert.Contains("Nothing was changed", reply);
        Assert.Equal(before.Select(r => (r.RowKey, r.ETag)), (await bot.ObstacleRowsAsync()).Select(r => (r.RowKey, r.ETag)));
    }

    [Fact]
    public async Task Statuses_move_forward_won_t_fix_keeps_its_reason_and_a_closed_one_can_be_reopened()
    {
        Assert.Contains("Marked #1 in progress", await MeganSaysAsync("obstacle 1 in progress"));
        Assert.Contains("past acknowledged", await MeganSaysAsync("obstacle 1 acknowledged"));
        Assert.Contains("Marked #1 won't fix", await MeganSaysAsync("obstacle 1 won't fix: the courier contract ends in March"));
        Assert.Contains("reopen it first", await MeganSaysAsync("obstacle 1 fixed"));
        Assert.Contains("Reopened #1", await MeganSaysAsync("obstacle 1 reopen"));

        var obstacle = await bot.ObstacleAsync(1);
        Assert.Equal([ObstacleStatus.InProgress, ObstacleStatus.WontFix, ObstacleStatus.Open], obstacle.History.Select(h => h.Status));
        Assert.Equal("the courier contract ends in March", obstacle.History[1].Note);
        var messages = await MessagesByConversationAsync(9);
        Assert.All(messages.Values, m => Assert.Equal(3, m.Count));
        Assert.Contains("Reason: 'the courier contract ends in March'", messages[Backer1.ConversationId][1]);
    }

    [Fact]
    public async Task The_list_and_the_card_show_status_and_note_and_managers_get_status_actions()
    {
        await MeganSaysAsync("obstacle 1 acknowledged Talking to the courier");

        var repList = await bot.SayAsync("obstacles", Backer1, serviceUrl: connector.ServiceUrl);
        var managerList = (await bot.ExchangeAsync(Activities.Message("obstacles", connector.ServiceUrl, Someone.Megan.User, Someone.Megan.Name, Someone.Megan.Aad))).Single();
        var card = await bot.SayAsync("obstacle 1", Backer1, serviceUrl: connector.ServiceUrl);

        Assert.Contains("Acknowledged. Note from Megan Bowen: Talking to the courier", repList);
        Assert.DoesNotContain("obstacle.status", repList);
        Assert.Contains("obstacle.status", managerList.GetRawText());
        Assert.Contains("note-1", managerList.GetRawText());
        Assert.Contains("Acknowledged since", card);
        Assert.Contains("Acknowledged by Megan Bowen: Talking to the courier", card);
    }
}
