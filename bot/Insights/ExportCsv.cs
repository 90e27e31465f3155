using System.Globalization;
using System.Text;
using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Insights;

/// <summary>The parts of an export, each one CSV file.</summary>
public enum ExportPart { Ledger, Approvals, Audit }

/// <summary>
/// Writes a month of one team (or the organisation) as CSV, row by row as the store yields them: the ledger (every
/// credit of everyone who was in the team that month), the approval requests, and the policy and membership audit
/// trail. Nothing is held but the row being written (for approvals, the month's index rows and 16 requests), so a large tenant streams. Cells a spreadsheet would run as a
/// formula (=, +, -, @ first) are written as text.
/// </summary>
public sealed class ExportCsv(ITableStore store, ApprovalStore approvals, Roster roster)
{
    public static string FileName(ExportGrant grant, ExportPart part) =>
        $"empowerbot-{(grant.Team == "*" ? "organisation" : grant.Team)}-{grant.Period}-{part.ToString().ToLowerInvariant()}.csv";

    public async Task WriteAsync(ExportGrant grant, ExportPart part, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true);
        var teams = roster.Teams.Where(t => Roster.AppliesTo(t, grant.Tenant) && (grant.Team == "*" || string.Equals(t.Id, grant.Team, StringComparison.OrdinalIgnoreCase))).ToList();
        switch (part)
        {
            case ExportPart.Ledger: await LedgerAsync(grant, teams, writer, ct); break;
            case ExportPart.Approvals: await ApprovalsAsync(grant, teams, writer, ct); break;
            default: await AuditAsync(grant, teams, writer, ct); break;
        }
        await writer.FlushAsync(ct);
    }

    private async Task LedgerAsync(ExportGrant grant, List<Team> teams, StreamWriter w, CancellationToken ct)
    {
        await Line(w, "team", "rep", "rep_name", "reference", "created_at", "customer", "amount", "currency", "reason", "status", "manager_approved", "voided_at", "rule");
        // Who left a team since the month began (the audit trail says), read once for every team: their credits count.
        var earliest = teams.Count == 0 ? DateTimeOffset.MaxValue : teams.Min(t => PeriodOf(grant.Period, t.TimeZone).Start);
        var left = new List<(string Team, string Key, string Name, DateTimeOffset At)>();
        await foreach (var row in AuditRowsAsync(grant.Tenant, earliest, DateTimeOffset.MaxValue, ct))
        {
            if (row.GetString("field") == "member" && row.GetString("person") is { Length: > 0 } key)
                left.Add((row.GetString("team") ?? "", key, row.GetString("label") ?? key, row.GetTime("at") ?? DateTimeOffset.MinValue));
        }
        foreach (var team in teams)
        {
            // Everyone in the team now, and everyone who left it since the month began.
            var people = team.Members.Select(m => (m.PersonKey, m.Name)).ToList();
            var period = PeriodOf(grant.Period, team.TimeZone);
            foreach (var (_, key, name, _) in left.Where(l => Same(l.Team, team.Id) && l.At >= period.Start))
            {
                if (!people.Any(p => Same(p.PersonKey, key))) people.Add((key, name));
            }
            foreach (var (key, name) in people.Where(p => p.PersonKey.Length > 0))
            {
                await foreach (var row in store.QueryPrefixAsync(Tables.Budgets, LedgerRows.Partition(grant.Tenant, key, period), LedgerRows.CreditPrefix, ct))
                {
                    var credit = LedgerRows.ReadCredit(row, team.Currency);
                    await Line(w, team.Name, key, name, credit.Ref, Time(credit.CreatedAt), credit.Customer, Amount(credit.Amount), credit.Amount.Currency.Code,
                        credit.Reason, credit.Status.ToString(), credit.Exception ? "yes" : "no", credit.VoidedAt is { } v ? Time(v) : "", credit.Rule);
                }
            }
        }
    }

    private async Task ApprovalsAsync(ExportGrant grant, List<Team> teams, StreamWriter w, CancellationToken ct)
    {
        await Line(w, "team", "approval_id", "requested_at", "requester", "requester_name", "customer", "amount", "currency", "reason", "rule", "status", "decided_by", "decided_at", "comment");
        var byId = teams.ToDictionary(t => t.Id, StringComparer.OrdinalIgnoreCase);
        if (byId.Count == 0) return;
        var periods = teams.ToDictionary(t => t.Id, t => PeriodOf(grant.Period, t.TimeZone), StringComparer.OrdinalIgnoreCase);
        // The month index names the month's requests; each is then read in full, a few at a time, in the order asked.
        var asked = (await approvals.OutcomesAsync(grant.Tenant, periods.Values.Min(p => p.Start), periods.Values.Max(p => p.End), null, ct))
            .Where(o => periods.TryGetValue(o.TeamId, out var period) && period.Contains(o.CreatedAt))
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();
        foreach (var chunk in asked.Chunk(16))
        {
            foreach (var r in (await Task.WhenAll(chunk.Select(o => approvals.GetAsync(grant.Tenant, o.Id, ct)))).OfType<ApprovalRequest>())
            {
                var team = byId[r.TeamId];
                var amount = new Money(r.AmountMinor, Currency.Of(r.Currency));
                await Line(w, team.Name, r.Id, Time(r.CreatedAt), r.RequesterKey, r.RequesterName, r.Customer, Amount(amount), r.Currency, r.Reason, r.Rule,
                    r.Status.ToString(), r.DecidedByName ?? "", r.DecidedAt is { } d ? Time(d) : "", r.Comment ?? "");
            }
        }
    }

    private async Task AuditAsync(ExportGrant grant, List<Team> teams, StreamWriter w, CancellationToken ct)
    {
        await Line(w, "at", "team", "by", "by_name", "what", "field", "from", "to");
        var names = teams.ToDictionary(t => t.Id, t => t.Name, StringComparer.OrdinalIgnoreCase);
        var zone = teams.FirstOrDefault()?.TimeZone ?? TimeZoneInfo.Utc;
        var period = PeriodOf(grant.Period, zone);
        await foreach (var row in AuditRowsAsync(grant.Tenant, period.Start, period.End, ct))
        {
            var team = row.GetString("team") ?? "";
            if (grant.Team != "*" && !Same(team, grant.Team)) continue;
            await Line(w, row.GetTime("at") is { } at ? Time(at) : "", names.GetValueOrDefault(team, team), row.GetString("by") ?? "", row.GetString("byName") ?? "",
                row.GetString("label") ?? "", row.GetString("field") ?? "", row.GetString("from") ?? "", row.GetString("to") ?? "");
        }
    }

    private IAsyncEnumerable<TableEntity> AuditRowsAsync(string tenant, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var prefix = $"{OrganizationRows.AuditPrefix}{tenant}|";
        var end = until == DateTimeOffset.MaxValue ? TableStoreExtensions.PrefixEnd(prefix) : $"{prefix}{until.UtcTicks:D19}";
        return store.QueryAsync(Tables.Organization, OrganizationRows.Partition, $"{prefix}{from.UtcTicks:D19}", end, ct);
    }

    /// <summary>The budget month "2026-11" in a team's zone.</summary>
    public static Period PeriodOf(string key, TimeZoneInfo zone)
    {
        var month = DateTime.ParseExact(key + "-15", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var instant = new DateTimeOffset(month, zone.GetUtcOffset(month));
        return Period.Containing(instant, zone);
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Amount(Money m) => m.ToDecimal().ToString("F" + m.Currency.Decimals, CultureInfo.InvariantCulture);

    private static async Task Line(StreamWriter w, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) await w.WriteAsync(',');
            await w.WriteAsync(Cell(cells[i]));
        }
        await w.WriteAsync("\r\n");
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would evaluate gets a leading apostrophe.</summary>
    public static string Cell(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r') v = "'" + v;
        return v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
