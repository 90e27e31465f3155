using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Member = EmpowerBot.Tests.Fixtures.FakeConnector.TeamsMemberJson;

namespace EmpowerBot.Tests.Channels;

/// <summary>
/// Installing the app in a Teams team links it to an EmpowerBot team whose members come from the team's roster (read
/// page by page), and the team's events keep it current, on every instance.
/// </summary>
public sealed class TeamsRosterTests : AlexAndMeganTests
{
    private const string TeamsTeam = "19:returns-team@thread.tacv2";
    private const string SamAad = "00000000-0000-0000-0000-0000000000031";
    private const string JoAad = "00000000-0000-0000-0000-0000000000032";
    private const string KimAad = "00000000-0000-0000-0000-0000000000033";

    // As in production, someone on no roster is a guest.
    protected override Dictionary<string, string?> Settings() => new() { ["Organization:UnlistedPeople"] = "Guest" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        connector.TeamMembers[TeamsTeam] =
        [
            new("29:sam", "Sam Rivera", SamAad, "sam@contoso.example", "sam@contoso.example"),
            new("29:jo", "Jo Bloggs", JoAad, "jo@contoso.example", "jo@contoso.example"),
            new("29:kim", "Kim Lee", KimAad, "kim@contoso.example", "kim@contoso.example"),
            new("29:alex", "Alex Wilber", Activities.AlexAad, "alexw@contoso.example", "alexw@contoso.example"), // in the demo team already
            new("28:" + Activities.BotId, "EmpowerBot", "", "", ""),
        ];
    }

    private Dictionary<string, object?> TeamEvent(string eventType, object? added = null, object? removed = null, string teamName = "Returns")
    {
        var activity = Activities.Base("conversationUpdate", connector.ServiceUrl, "29:admin", "Ada Admin", "00000000-0000-0000-0000-0000000000099", null, Activities.Tenant);
        activity["conversation"] = new { conversationType = "channel", tenantId = Activities.Tenant, id = TeamsTeam, isGroup = true };
        activity["recipient"] = new { id = "28:" + Activities.BotId, name = "EmpowerBot" };
        activity["channelData"] = new { tenant = new { id = Activities.Tenant }, team = new { id = TeamsTeam, name = teamName }, eventType };
        if (added is not null) activity["membersAdded"] = added;
        if (removed is not null) activity["membersRemoved"] = removed;
        return activity;
    }

    private Dictionary<string, object?> BotAdded() => TeamEvent("teamMemberAdded", added: new[] { new { id = "28:" + Activities.BotId } });

    private static Person Resolve(BotHost host, string aad) => host.Services.GetRequiredService<Roster>().Resolve(Activities.Tenant, "aad:" + aad, null);

    private static Team? Returns(BotHost host) => host.Services.GetRequiredService<Roster>().Teams.SingleOrDefault(t => t.Name is "Returns" or "Returns & Refunds");

    [Fact]
    public async Task Installing_in_a_team_links_it_with_every_member_of_every_page_as_a_rep_and_someone_in_another_team_stays_there()
    {
        using (var response = await bot.PostAsync(BotAdded())) Assert.True(response.IsSuccessStatusCode);

        var team = Assert.IsType<Team>(Returns(bot));
        Assert.Equal(["aad:" + SamAad, "aad:" + JoAad, "aad:" + KimAad], team.Members.Select(m => m.PersonKey).Order());
        Assert.All(team.Members, m => Assert.Equal(Role.Rep, m.Role));
        Assert.Equal("29:sam", team.Members.Single(m => m.PersonKey == "aad:" + SamAad).TeamsUserId);
        Assert.Equal(3, connector.Calls.Count(c => c.Method == "GET" && c.Path.Contains("/pagedmembers"))); // 5 members in pages of 2
        Assert.Equal("demo", Resolve(bot, Activities.AlexAad).Team?.Id);
        var sam = Resolve(bot, SamAad);
        Assert.Equal(team.Id, sam.Team?.Id);
        Assert.Equal(200m, sam.MonthlyBudget.ToDecimal());
    }

    [Fact]
    public async Task A_member_removed_from_the_team_loses_their_budget_at_once_on_another_instance_and_a_member_added_joins()
    {
        await bot.PostAsync(BotAdded());
        using var second = NewHost(new() { ["Organization:RefreshInterval"] = "00:10:00" });
        _ = second.Services;
        var samSays = Activities.Message("credit $10 to ACME-7 for late delivery", connector.ServiceUrl, "29:sam", "Sam Rivera", SamAad);
        Assert.Contains("Applied $10.00", (await second.ExchangeAsync(samSays)).Everything());

        await bot.PostAsync(TeamEvent("teamMemberRemoved", removed: new[] { new { id = "29:sam", aadObjectId = SamAad } }));
        connector.TeamMembers[TeamsTeam].Add(new("29:lee", "Lee Gu", "00000000-0000-0000-0000-0000000000022", "lee@contoso.example", "lee@contoso.example"));
        await bot.PostAsync(TeamEvent("teamMemberAdded", added: new[] { new { id = "29:lee", aadObjectId = "00000000-0000-0000-0000-0000000000022" } }));

        var again = Activities.Message("credit $10 to ACME-8 for late delivery", connector.ServiceUrl, "29:sam", "Sam Rivera", SamAad);
        Assert.Contains("You are not on a team with a discretionary budget", (await second.ExchangeAsync(again)).Everything());
        Assert.Single(await second.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{SamAad}|2026-11"), r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal));
        var lee = Resolve(bot, "00000000-0000-0000-0000-0000000000022");
        Assert.Equal(Returns(bot)!.Id, lee.Team?.Id);
        Assert.Equal("Lee Gu", lee.Name);
    }

    [Fact]
    public async Task A_redelivered_install_changes_nothing_more_and_keeps_a_manager_made_in_chat()
    {
        await bot.PostAsync(BotAdded());
        var stored = bot.Services.GetRequiredService<OrganizationSync>();
        await stored.ChangeAsync([new OrganizationStore.Change.PutMember(Returns(bot)!.Id,
            new MemberOptions { Id = "aad:" + KimAad, Name = "Kim Lee", Role = "Manager", TeamsUserId = "29:kim" })], CancellationToken.None);

        await bot.PostAsync(BotAdded());

        Assert.Equal(3, Returns(bot)!.Members.Count);
        Assert.True(Resolve(bot, KimAad).IsManager);
    }

    [Fact]
    public async Task A_renamed_team_is_renamed_and_a_deleted_team_or_the_app_removed_unlinks_it_with_history_kept()
    {
        await bot.PostAsync(BotAdded());
        await bot.PostAsync(TeamEvent("teamRenamed", teamName: "Returns & Refunds"));
        Assert.Equal("Returns & Refunds", Returns(bot)?.Name);

        await bot.PostAsync(TeamEvent("teamMemberRemoved", removed: new[] { new { id = "28:" + Activities.BotId } }));

        Assert.Null(Returns(bot));
        Assert.Null(Resolve(bot, SamAad).Team);
        Assert.Equal("demo", Resolve(bot, Activities.AlexAad).Team?.Id);
    }

    [Fact]
    public async Task A_credit_written_in_a_team_channel_is_answered_with_the_way_to_the_private_chat_and_moves_no_money()
    {
        await bot.PostAsync(BotAdded());
        var inChannel = Activities.Message("credit $10 to ACME-7 for late delivery", connector.ServiceUrl, "29:sam", "Sam Rivera", SamAad);
        inChannel["conversation"] = new { conversationType = "channel", tenantId = Activities.Tenant, id = TeamsTeam + ";messageid=1", isGroup = true };

        var reply = (await bot.ExchangeAsync(inChannel)).Everything();

        Assert.Contains("I answer in our 1:1 chat", reply);
        Assert.Empty(await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{SamAad}|2026-11"));
    }

    [Fact]
    public async Task The_channel_the_app_is_installed_in_hears_what_the_team_now_is_not_one_persons_welcome()
    {
        var install = TeamEvent("teamMemberAdded");
        install["type"] = "installationUpdate";
        install["action"] = "add";

        var said = (await bot.ExchangeAsync(install)).Everything();

        Assert.Contains("EmpowerBot is linked to **Returns**: its 3 members can each give customers credits of up to $200.00 a month", said);
        Assert.Contains("Alex Wilber stays in the team they are already in.", said);
        Assert.Contains("An EmpowerBot admin makes its managers: **make NAME a manager of Returns**", said);
        Assert.DoesNotContain("welcome", said, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Events_of_a_team_that_was_never_linked_change_nothing()
    {
        var before = bot.Services.GetRequiredService<Roster>().Version;

        await bot.PostAsync(TeamEvent("teamMemberAdded", added: new[] { new { id = "29:jo", aadObjectId = JoAad } }));
        await bot.PostAsync(TeamEvent("teamRenamed", teamName: "Anything"));

        Assert.Equal(before, bot.Services.GetRequiredService<Roster>().Version);
        Assert.Null(Resolve(bot, JoAad).Team);
    }
}
