using System.Text.Json;
using EmpowerBot.Approvals;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Conversation;

/// <summary>
/// The stored organisation: seeded once from configuration, the truth afterwards, changed in chat, and current on every
/// instance before money moves. Megan manages the demo team; Lee Gu has written to the bot but is on no roster.
/// </summary>
public sealed class OrganizationTests : AlexAndMeganTests
{
    private const string LeeAad = "00000000-0000-0000-0000-0000000000022";
    private const string Team = "Frontline Demo";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(connector.AsMegan("hello"));
        await bot.PostAsync(AsLee("hello"));
        connector.Clear();
    }

    // Everyone on no roster is a guest, as in production (the local demo would take them into its team).
    protected override Dictionary<string, string?> Settings() => new() { ["Organization:UnlistedPeople"] = "Guest" };

    private Dictionary<string, object?> AsLee(string text) => Activities.Message(text, connector.ServiceUrl, "user-id-2", "Lee Gu", LeeAad);

    private static async Task<string> SayAsync(BotHost host, Dictionary<string, object?> activity) => (await host.ExchangeAsync(activity)).Everything();

    private Roster RosterOf(BotHost host) => host.Services.GetRequiredService<Roster>();

    private Person Lee(BotHost host) => RosterOf(host).Resolve(Activities.Tenant, "aad:" + LeeAad, "Lee Gu");

    private List<string> TextsTo(string userId) => connector.Calls
        .Where(c => c.Method == "POST" && c.Path.Contains("/activities") && c.Body.TryGetProperty("text", out _)
            && c.Body.TryGetProperty("recipient", out var r) && r.TryGetProperty("id", out var id) && id.GetString() == userId)
        .Select(c => c.Body.GetProperty("text").GetString()!)
        .ToList();

    [Fact]
    public async Task A_manager_makes_someone_who_said_hello_a_manager_in_chat_and_both_instances_send_exceptions_to_them()
    {
        using var second = NewHost();
        _ = second.Services;

        var answer = await SayAsync(bot, connector.AsMegan("make Lee a manager of Frontline Demo"));

        Assert.Contains($"Done: Lee Gu is a manager of {Team}. I've told them.", answer);
        await Eventually.UntilAsync(() => TextsTo("user-id-2").Any(t => t.Contains($"Megan Bowen made you a manager of {Team}")), "Lee to be told");
        Assert.True(Lee(bot).IsManager);
        // The other instance: the credit path looks at the stored version before it decides, so the exception reaches Lee too.
        await second.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));
        var waiting = Assert.Single(await second.Services.GetRequiredService<ApprovalStore>()
            .PendingForApproverAsync(Activities.Tenant, "aad:" + LeeAad, CancellationToken.None));
        Assert.Equal("ACME-1042", waiting.Customer);
    }

    [Fact]
    public async Task Someone_removed_on_one_instance_cannot_spend_on_the_other_a_moment_later_and_keeps_their_history()
    {
        using var second = NewHost(new() { ["Organization:RefreshInterval"] = "00:10:00" }); // no poll would save it in time
        _ = second.Services;
        Assert.Contains("Applied $10.00", await SayAsync(second, connector.AsAlex("credit $10 to ACME-1 for late delivery")));

        var answer = await SayAsync(bot, connector.AsMegan("remove Alex Wilber from the Frontline Demo team"));

        Assert.Contains("Alex Wilber is no longer in Frontline Demo; they no longer spend its discretionary budget", answer);
        var refused = await SayAsync(second, connector.AsAlex("credit $10 to ACME-2 for late delivery"));
        Assert.Contains("You are not on a team with a discretionary budget", refused);
        var ledger = await second.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");
        Assert.Single(ledger, r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal)); // the first stays, nothing new
        await Eventually.UntilAsync(() => TextsTo("user-id-0").Any(t => t.Contains("Megan Bowen removed you from Frontline Demo")), "Alex to be told");
    }

    [Fact]
    public async Task A_manager_removed_on_one_instance_cannot_decide_a_request_on_the_other()
    {
        await SayAsync(bot, connector.AsMegan("make Lee a manager of Frontline Demo"));
        await bot.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));
        var request = Assert.Single(await bot.Services.GetRequiredService<ApprovalStore>()
            .PendingForApproverAsync(Activities.Tenant, "aad:" + LeeAad, CancellationToken.None));
        using var second = NewHost(new() { ["Organization:RefreshInterval"] = "00:10:00" });
        _ = second.Services;

        Assert.Contains("Done", await SayAsync(bot, connector.AsMegan("remove Lee from Frontline Demo")));
        var (status, body) = await ApprovalTestKit.ClickAsAsync(second, connector, ApprovalAction.Approve, new { approvalId = request.Id }, "user-id-2", "Lee Gu", LeeAad);

        // The request was handed to Megan when Lee left; either way Lee's click decides nothing.
        Assert.Equal(403, (int)status);
        Assert.Contains("Nothing was changed", body.ToString());
        Assert.True((await second.Services.GetRequiredService<ApprovalStore>().GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.IsPending);
    }

    [Fact]
    public async Task Requests_waiting_for_a_manager_who_is_removed_move_on_to_the_others_or_to_whoever_can_decide_them_now()
    {
        await SayAsync(bot, connector.AsMegan("make Lee a manager of Frontline Demo"));
        await bot.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));
        var store = bot.Services.GetRequiredService<ApprovalStore>();
        var shared = Assert.Single(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + LeeAad, CancellationToken.None));

        await SayAsync(bot, connector.AsMegan("remove Lee from Frontline Demo"));

        Assert.Empty(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + LeeAad, CancellationToken.None));
        Assert.Equal(["aad:" + Activities.MeganAad], (await store.GetAsync(Activities.Tenant, shared.Id, CancellationToken.None))!.Approvers);

        // Megan alone has the next one; an admin removes her: it goes to the fallback approver, with its card.
        using var admin = NewHost(new() { ["Organization:Admins:0"] = LeeAad, ["Approvals:FallbackApprovers:0"] = "aad:" + LeeAad }, ownStore: true);
        await admin.PostAsync(connector.AsMegan("hello"));
        await admin.PostAsync(AsLee("hello"));
        await admin.ExchangeAsync(connector.AsAlex("credit $160 to ACME-77 for late delivery"));
        var adminStore = admin.Services.GetRequiredService<ApprovalStore>();
        var alone = Assert.Single(await adminStore.PendingForApproverAsync(Activities.Tenant, "aad:" + Activities.MeganAad, CancellationToken.None));
        connector.Clear();

        Assert.Contains("Done", await SayAsync(admin, AsLee("remove Megan from Frontline Demo")));

        var moved = await adminStore.GetAsync(Activities.Tenant, alone.Id, CancellationToken.None);
        Assert.Equal(["aad:" + LeeAad], moved!.Approvers);
        Assert.True(moved.IsPending);
        await Eventually.UntilAsync(() => connector.Posted.Any(p => p.GetRawText().Contains("ACME-77") && p.TryGetProperty("recipient", out var r)
            && r.GetProperty("id").GetString() == "user-id-2"), "the card to reach Lee");
    }

    [Fact]
    public async Task A_rep_cannot_change_a_team_and_a_manager_cannot_change_themselves_nothing_moves()
    {
        var version = RosterOf(bot).Version;

        Assert.Contains("Only Frontline Demo's managers or an EmpowerBot admin", await SayAsync(bot, connector.AsAlex("make Alex a manager of Frontline Demo")));
        Assert.Contains("You can't change your own place in a team", await SayAsync(bot, connector.AsMegan("make Megan Bowen a rep")));
        Assert.Contains("I don't know anyone called \"Priya\"", await SayAsync(bot, connector.AsMegan("add Priya to Frontline Demo")));
        Assert.Contains("I don't know a team called \"Billing\"", await SayAsync(bot, connector.AsMegan("make Lee a manager of Billing")));

        Assert.Equal(version, RosterOf(bot).Version);
        Assert.False(Lee(bot).IsManager);
        Assert.Equal(Role.Rep, RosterOf(bot).Resolve(Activities.Tenant, "aad:" + Activities.AlexAad, null).Role);
    }

    [Fact]
    public async Task A_team_lead_needs_the_amount_they_approve_up_to_and_gets_exactly_it()
    {
        Assert.Contains("say how much, like **make Lee a team lead of Frontline Demo up to $250**",
            await SayAsync(bot, connector.AsMegan("make Lee a team lead of Frontline Demo")));
        Assert.False(Lee(bot).IsManager);

        Assert.Contains("Lee Gu is a team lead (approving up to $250.00) of Frontline Demo", await SayAsync(bot, connector.AsMegan("make Lee a team lead of frontline demo up to $250")));

        var lee = RosterOf(bot).FindMember(Activities.Tenant, "aad:" + LeeAad)!;
        Assert.Equal(Role.Manager, lee.Role);
        Assert.Equal(250m, lee.ApprovesUpTo!.Value.ToDecimal());
    }

    [Fact]
    public async Task An_admin_named_in_configuration_may_place_people_though_on_no_team_as_a_manager()
    {
        using var admin = NewHost(new() { ["Organization:Admins:0"] = LeeAad }, ownStore: true);
        await admin.PostAsync(AsLee("hello"));
        await admin.PostAsync(connector.AsAlex("hello"));

        Assert.Contains("Alex Wilber is a manager of Frontline Demo", await SayAsync(admin, AsLee("make Alex Wilber a manager of Frontline Demo")));
        Assert.True(RosterOf(admin).Resolve(Activities.Tenant, "aad:" + Activities.AlexAad, null).IsManager);
    }

    [Fact]
    public async Task After_the_first_start_the_store_is_the_truth_a_host_with_another_configuration_keeps_what_is_stored()
    {
        await SayAsync(bot, connector.AsMegan("make Lee a manager of Frontline Demo"));

        using var restarted = NewHost(new()
        {
            ["Organization:Teams:0:Members:0:Role"] = "Manager", // the file now says Alex is a manager: ignored
            ["Organization:Teams:0:MonthlyBudget"] = "900",
        });

        Assert.True(Lee(restarted).IsManager);
        var alex = RosterOf(restarted).Resolve(Activities.Tenant, "aad:" + Activities.AlexAad, null);
        Assert.Equal(Role.Rep, alex.Role);
        Assert.Equal(200m, alex.MonthlyBudget.ToDecimal());
    }

    [Fact]
    public async Task Two_instances_starting_on_an_empty_store_at_once_store_the_organisation_once()
    {
        var path = Path.Combine(dataDir, Guid.NewGuid().ToString("N") + ".db");
        var fresh = Enumerable.Range(0, 3).Select(_ => new BotHost(new() { ["Storage:SqlitePath"] = path }, bot.Clock)).ToList();
        try
        {
            await Task.WhenAll(fresh.Select(h => Task.Run(() => h.Services)));
            var rows = await fresh[0].RowsAsync(Tables.Organization, OrganizationRows.Partition);
            Assert.Single(rows, r => r.RowKey.StartsWith("team|", StringComparison.Ordinal));
            Assert.Equal(2, rows.Count(r => r.RowKey.StartsWith("member|", StringComparison.Ordinal)));
            var stamp = Assert.Single(rows, r => r.RowKey == "version");
            Assert.True(stamp.GetBool("seeded"));
            Assert.All(fresh, h => Assert.Equal(stamp.GetInt64("version"), RosterOf(h).Version));
        }
        finally
        {
            foreach (var h in fresh) h.Dispose();
        }
    }

    [Fact]
    public async Task A_seed_cut_short_by_a_crash_is_finished_by_the_next_start_without_touching_what_was_written()
    {
        var path = Path.Combine(dataDir, Guid.NewGuid().ToString("N") + ".db");
        using (var crashed = new BotHost(new() { ["Storage:SqlitePath"] = path }, bot.Clock))
        {
            // What a crash after the first batch leaves: the stamp, not yet seeded, and only the team's row.
            var store = crashed.Store;
            var rows = await crashed.RowsAsync(Tables.Organization, OrganizationRows.Partition);
            foreach (var row in rows) await store.DeleteAsync(Tables.Organization, row.PartitionKey, row.RowKey, TableOperation.AnyETag, CancellationToken.None);
            await store.SubmitAsync(Tables.Organization,
            [
                TableOperation.Insert(new TableEntity(OrganizationRows.Partition, "version", new Dictionary<string, object?> { ["version"] = 1L, ["seeded"] = false })),
                TableOperation.Insert(rows.Single(r => r.RowKey.StartsWith("team|", StringComparison.Ordinal)) with { ETag = null }),
            ], CancellationToken.None);
        }
        using var next = new BotHost(new() { ["Storage:SqlitePath"] = path }, bot.Clock);

        Assert.True(RosterOf(next).Resolve(Activities.Tenant, "aad:" + Activities.MeganAad, null).IsManager);
        var stored = await next.RowsAsync(Tables.Organization, OrganizationRows.Partition);
        Assert.Equal(2, stored.Count(r => r.RowKey.StartsWith("member|", StringComparison.Ordinal)));
        Assert.True(stored.Single(r => r.RowKey == "version").GetBool("seeded"));
    }

    [Fact]
    public async Task A_stored_team_that_is_not_valid_is_left_out_and_the_others_load()
    {
        var store = bot.Store;
        var team = (await bot.RowsAsync(Tables.Organization, OrganizationRows.Partition)).Single(r => r.RowKey.StartsWith("team|", StringComparison.Ordinal));
        var broken = new Dictionary<string, object?>(team.Properties) { ["id"] = "broken", ["currency"] = "XXQ" };
        var stamp = (await bot.RowsAsync(Tables.Organization, OrganizationRows.Partition)).Single(r => r.RowKey == "version");
        await store.SubmitAsync(Tables.Organization,
        [
            TableOperation.Replace(new TableEntity(OrganizationRows.Partition, "version", new Dictionary<string, object?> { ["version"] = stamp.GetInt64("version") + 1, ["seeded"] = true }), stamp.ETag!),
            TableOperation.Insert(new TableEntity(OrganizationRows.Partition, "team|broken", broken)),
        ], CancellationToken.None);

        await bot.Services.GetRequiredService<OrganizationSync>().EnsureCurrentAsync(CancellationToken.None);

        Assert.Equal(["demo"], RosterOf(bot).Teams.Select(t => t.Id));
        Assert.Equal(stamp.GetInt64("version") + 1, RosterOf(bot).Version);
    }
}
