using System.Net;
using System.Text;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>In Slack a manager's export arrives as files in their direct messages, uploaded the way Slack's files API takes them.</summary>
public sealed class SlackExportTests : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private FakeSlack slack = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        slack = await FakeSlack.StartAsync();
        bot = new BotHost(Settings(slack, new() { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db") }));
        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery"))) { }
        await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("ACME-1042"));
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await slack.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_months_three_csv_files_are_uploaded_to_the_managers_dm_with_one_note()
    {
        using (var response = await EventAsync(bot, DirectMessage(Megan, "export"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Eventually.UntilAsync(() => slack.CallsTo("files.completeUploadExternal").Count == 3, "three files to be shared");
        var tickets = slack.CallsTo("files.getUploadURLExternal");
        Assert.Equal(["empowerbot-demo-2026-11-approvals.csv", "empowerbot-demo-2026-11-audit.csv", "empowerbot-demo-2026-11-ledger.csv"],
            tickets.Select(t => t.Str("filename")).Order());
        var ledgerId = tickets.Single(t => t.Str("filename")!.EndsWith("ledger.csv")).Answer.GetProperty("file_id").GetString()!;
        var ledger = Encoding.UTF8.GetString(slack.Uploads[ledgerId]).TrimStart('\uFEFF');
        Assert.StartsWith("team,rep,rep_name,reference", ledger);
        Assert.Contains("ACME-1042", ledger);
        Assert.Equal(slack.Uploads[ledgerId].Length.ToString(), tickets.Single(t => t.Str("filename")!.EndsWith("ledger.csv")).Str("length"));
        var shared = slack.CallsTo("files.completeUploadExternal");
        Assert.All(shared, c => Assert.Equal(Dm(Megan), c.Str("channel_id")));
        Assert.Single(shared, c => c.Str("initial_comment") is { } note && note.StartsWith("Export: Frontline Demo, November 2026"));
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Everything.Contains("Export: Frontline Demo"));
    }

    [Fact]
    public async Task When_slack_refuses_the_upload_the_reply_is_posted_instead()
    {
        slack.RefuseNext("files.getUploadURLExternal", "not_allowed_token_type");

        using (await EventAsync(bot, DirectMessage(Megan, "export"))) { }

        var posted = await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("Export: Frontline Demo"));
        Assert.Equal(Dm(Megan), posted.Str("channel"));
    }
}
