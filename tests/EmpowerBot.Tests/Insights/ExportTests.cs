using System.Net;
using System.Text.Json;
using EmpowerBot.Insights;
using EmpowerBot.Tests.Approvals;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Insights;

/// <summary>Megan exports the demo team's month for finance: three CSV files behind short-lived signed links.</summary>
public sealed class ExportTests : AlexAndMeganTests
{
    protected override Dictionary<string, string?> Settings() => new() { ["Organization:UnlistedPeople"] = "Guest" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(connector.AsMegan("hello"));
        await bot.ExchangeAsync(connector.AsAlex("credit $25 to ACME-1042 for late delivery"));
        await bot.ExchangeAsync(connector.AsAlex("credit $150 to ACME-7 for a damaged item"));
        connector.Clear();
    }

    private async Task<Dictionary<string, string>> LinksAsync(Dictionary<string, object?> activity)
    {
        var replies = await bot.ExchangeAsync(activity);
        var card = replies.SelectMany(r => r.TryGetProperty("attachments", out var a) ? a.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Single().GetProperty("content");
        return card.GetProperty("actions").EnumerateArray().ToDictionary(a => a.GetProperty("title").GetString()!, a => new Uri(a.GetProperty("url").GetString()!).PathAndQuery);
    }

    private async Task<(HttpStatusCode Status, string Body, string? FileName)> GetAsync(string pathAndQuery)
    {
        using var response = await bot.CreateClient().GetAsync(pathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task A_manager_gets_the_months_ledger_approvals_and_audit_trail_as_csv_files()
    {
        var links = await LinksAsync(connector.AsMegan("export"));

        var ledger = await GetAsync(links["Ledger (CSV)"]);
        Assert.Equal(HttpStatusCode.OK, ledger.Status);
        Assert.Equal("empowerbot-demo-2026-11-ledger.csv", ledger.FileName);
        var lines = ledger.Body.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("team,rep,rep_name,reference,created_at,customer,amount,currency,reason,status", lines[0]);
        Assert.Contains(lines, l => l.Contains("ACME-1042") && l.Contains(",25.00,USD,Late delivery,Applied,no,"));
        Assert.Contains(lines, l => l.Contains("ACME-7") && l.Contains(",150.00,USD,Damaged item,PendingApproval,"));

        var approvals = await GetAsync(links["Approvals (CSV)"]);
        Assert.Contains("ACME-7", approvals.Body);
        Assert.Contains("Pending", approvals.Body);
        Assert.DoesNotContain("ACME-1042", approvals.Body);
    }

    [Fact]
    public async Task Someone_removed_from_the_team_keeps_their_credits_in_its_export_and_the_removal_is_in_the_audit_trail()
    {
        await bot.ExchangeAsync(connector.AsMegan("remove Alex from Frontline Demo"));

        var links = await LinksAsync(connector.AsMegan("export this month"));

        Assert.Contains("ACME-1042", (await GetAsync(links["Ledger (CSV)"])).Body);
        var audit = (await GetAsync(links["Audit trail (CSV)"])).Body;
        Assert.Contains("Megan Bowen,Alex Wilber,member,a rep of Frontline Demo,not in the team", audit);
    }

    [Fact]
    public async Task A_link_works_only_as_signed_and_only_until_it_expires()
    {
        var ledger = (await LinksAsync(connector.AsMegan("export")))["Ledger (CSV)"];
        var token = Uri.UnescapeDataString(ledger[(ledger.IndexOf("t=", StringComparison.Ordinal) + 2)..]);
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Convert.FromBase64String(Pad(token.Split('.')[0])))!;
        var forged = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["Tenant"] = payload["Tenant"].GetString(), ["Team"] = "*", ["Period"] = payload["Period"].GetString(), ["By"] = "aad:x",
            ["Expires"] = DateTimeOffset.MaxValue,
        })).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + token.Split('.')[1];

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/export/ledger.csv?t=" + Uri.EscapeDataString(forged))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/export/ledger.csv")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(ledger.Replace("/ledger.csv", "/people.csv"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(ledger)).Status);

        bot.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await GetAsync(ledger);
        Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
        Assert.Contains("expired", expired.Body);
    }

    [Fact]
    public async Task A_rep_gets_no_export_and_an_admin_gets_the_organisations()
    {
        Assert.Contains("Exports are for a team's managers", (await bot.ExchangeAsync(connector.AsAlex("export"))).Everything());

        using var admin = NewHost(new() { ["Organization:Admins:0"] = Activities.AlexAad });
        var replies = (await admin.ExchangeAsync(connector.AsAlex("export last month"))).Everything();
        Assert.Contains("Export: the organisation, October 2026", replies);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("late, really", "\"late, really\"")]
    [InlineData("plain", "plain")]
    public void A_cell_a_spreadsheet_would_run_is_written_as_text_and_quoting_follows_rfc_4180(string value, string written) =>
        Assert.Equal(written, ExportCsv.Cell(value));

    private static string Pad(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return b.PadRight(b.Length + (4 - b.Length % 4) % 4, '=');
    }
}
