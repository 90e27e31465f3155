using System.Text.RegularExpressions;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>View model of cards/export-ready.json: what is exported, and a download link per file.</summary>
public sealed record ExportCard(string Title, string Text, string LedgerUrl, string ApprovalsUrl, string AuditUrl);

/// <summary>
/// "export" (also "export last month", "export the ledger"): the month's ledger, approvals and audit trail as CSV, for
/// finance. A manager gets their team, an org admin the organisation. The answer carries short-lived signed links the
/// bot itself serves (GET /api/export/{part}.csv), streamed from the store.
/// </summary>
public sealed partial class ExportCommand(Roster roster, OrganizationSync organization, ExportLinks links, ExportCsv csv, IOptions<ExportOptions> options,
    IHttpContextAccessor http, TimeProvider clock, ILogger<ExportCommand> log) : ICommand
{
    public CommandInfo Info { get; } = new("export", "export last month",
        "The month's ledger, approvals and audit trail as CSV files for finance (your team; admins: the organisation)", "Your team",
        ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => Phrase().IsMatch(text);

    [GeneratedRegex(@"^(?:please )?(?:export|download)(?: (?:the |my |our |team |team's |the team's ))?(?: ?(?:ledger|credits|data|csv|numbers|report|month))?(?: (?:for|of) )?(?: ?(?<last>last|previous) month| ?this month)?(?: as csv| to csv| for finance)?$")]
    private static partial Regex Phrase();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = await organization.CurrentAsync(context.Person, ct);
        var admin = roster.IsAdmin(person);
        if (!admin && (!person.IsManager || person.Team is null))
            return Say("Exports are for a team's managers (their team) and org admins (the organisation). Your own credits are in **history**.");
        var zone = person.Team?.TimeZone ?? roster.Teams.FirstOrDefault(t => Roster.AppliesTo(t, person.TenantId))?.TimeZone ?? TimeZoneInfo.Utc;
        var period = Period.Containing(clock.GetUtcNow(), zone);
        if (Phrase().Match(CommandText.Normalize(context.Turn.Text)).Groups["last"].Success) period = period.Previous();
        var team = admin ? "*" : person.Team!.Id;
        var what = admin ? "the organisation" : person.Team!.Name;
        var (token, grant) = await links.CreateAsync(person.TenantId, team, period.Key, person.Key, ct);
        // The files themselves, for a channel that uploads them (Slack); the card's links serve the same files.
        var files = Enum.GetValues<ExportPart>()
            .Select(part => new ReplyFile(ExportCsv.FileName(grant, part), $"{Title(part)}, {what}, {period.Label}", (stream, c) => csv.WriteAsync(grant, part, stream, c)))
            .ToList();
        log.LogInformation("{Person} exported {Scope} for {Period}", person.Key, team, period.Key);
        var title = $"Export: {what}, {period.Label}";
        if (BaseUrl() is not { } baseUrl)
        {
            // No address to link to: where the channel uploads files they come as files; elsewhere the admin has a setting to make.
            return TurnResult.Of(new Reply($"{title}: the ledger, the approval requests and the audit trail as CSV files. " +
                "(For download links, the admin sets Export:PublicUrl to the bot's public address.)") { Files = files, FilesNote = $"{title}: the ledger, the approval requests and the audit trail, as CSV." });
        }
        string Link(ExportPart part) => $"{baseUrl}/api/export/{part.ToString().ToLowerInvariant()}.csv?t={Uri.EscapeDataString(token)}";
        var minutes = (int)options.Value.LinkLifetime.TotalMinutes;
        var card = new ExportCard(title,
            $"The ledger (every credit), the approval requests and the audit trail of policy and membership changes, as CSV. The links work for {minutes} minutes and only for this export.",
            Link(ExportPart.Ledger), Link(ExportPart.Approvals), Link(ExportPart.Audit));
        return TurnResult.Of(Reply.Show("export-ready", card, $"{card.Title}. Ledger: {card.LedgerUrl} Approvals: {card.ApprovalsUrl} Audit trail: {card.AuditUrl}") with
        {
            Files = files,
            FilesNote = $"{title}: the ledger, the approval requests and the audit trail, as CSV.",
        });
    }

    private static string Title(ExportPart part) => part switch
    {
        ExportPart.Ledger => "Ledger",
        ExportPart.Approvals => "Approval requests",
        _ => "Audit trail",
    };

    private string? BaseUrl()
    {
        if (options.Value.PublicUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        return http.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}" : null;
    }

    private static TurnResult Say(string text) => TurnResult.Of(Reply.Say(text));
}
