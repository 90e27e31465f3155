using System.Net;
using System.Text.Json;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Conversation;

/// <summary>
/// Times read in the reader's own zone, named: the zone Teams' clientInfo reports, kept for later turns and for cards
/// about someone else; the team's zone (America/New_York for the demo team) when the client says nothing usable.
/// Business time is 15:00 UTC: 10:00 AM in New York, 4:00 PM in Berlin, midnight in Tokyo.
/// </summary>
public sealed class ReadingZoneTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private static Dictionary<string, object?> InZone(Dictionary<string, object?> activity, object? zone)
    {
        activity["entities"] = new object[] { new { type = "mention" }, new { type = "clientInfo", locale = "en-US", platform = "Web", timezone = zone } };
        return activity;
    }

    private async Task<string> AlexSaysAsync(string text, object? zone = null) =>
        (await bot.ExchangeAsync(zone is null ? Activities.Message(text) : InZone(Activities.Message(text), zone))).Everything();

    private async Task<string> MeganSaysAsync(string text, object? zone = null)
    {
        var activity = Activities.Message(text, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad);
        return (await bot.ExchangeAsync(zone is null ? activity : InZone(activity, zone))).Everything();
    }

    [Fact]
    public async Task A_receipt_shows_its_times_in_the_zone_the_Teams_client_reports()
    {
        var receipt = await AlexSaysAsync("credit $25 to ACME-1042 for late delivery", "Europe/Berlin");

        Assert.Contains("Undo (until 4:15 PM Europe/Berlin)", receipt);
        Assert.Contains("4:00 PM Europe/Berlin", receipt);
        Assert.DoesNotContain("America/New_York", receipt);
    }

    [Fact]
    public async Task Without_client_info_times_are_in_the_team_s_zone_and_named()
    {
        var receipt = await AlexSaysAsync("credit $25 to ACME-1042 for late delivery");

        Assert.Contains("Undo (until 10:15 AM America/New_York)", receipt);
        Assert.Contains("Nov 22, 10:00 AM America/New_York", await AlexSaysAsync("history"));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("")]
    [InlineData(42)]
    public async Task A_zone_id_the_bot_does_not_know_is_ignored_for_the_team_s_zone(object zone)
    {
        var receipt = await AlexSaysAsync("credit $25 to ACME-1042 for late delivery", zone);

        Assert.Contains("Applied $25.00 to ACME-1042", receipt);
        Assert.Contains("Undo (until 10:15 AM America/New_York)", receipt);
    }

    [Fact]
    public async Task The_last_zone_a_client_reported_is_kept_for_turns_that_report_none()
    {
        await AlexSaysAsync("hello", "Europe/Berlin");

        var receipt = await AlexSaysAsync("credit $25 to ACME-1042 for late delivery");
        var moved = await AlexSaysAsync("history", "Asia/Tokyo");

        Assert.Contains("Undo (until 4:15 PM Europe/Berlin)", receipt);
        Assert.Contains("Nov 23, 12:00 AM Asia/Tokyo", moved);
    }

    [Fact]
    public async Task A_manager_reads_the_card_about_a_rep_in_the_manager_s_own_zone()
    {
        await MeganSaysAsync("hello", "Asia/Tokyo");
        Assert.Contains("This needs Megan's approval", await AlexSaysAsync("credit $150 to ACME-1042 for late delivery", "Europe/Berlin"));

        var card = await MeganSaysAsync("approvals");
        var status = await AlexSaysAsync("status");

        Assert.Contains("Asia/Tokyo", card);
        Assert.DoesNotContain("Europe/Berlin", card);
        Assert.Contains("Europe/Berlin", status);
        var id = System.Text.RegularExpressions.Regex.Match(card, "\"approvalId\":\"([^\"]+)\"").Groups[1].Value;
        using var approve = await bot.PostAsync(Activities.Invoke("approval.approve", new { approvalId = id }, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Contains("Approved by Megan Bowen at 12:00 AM Asia/Tokyo", await approve.Content.ReadAsStringAsync());
    }
}
