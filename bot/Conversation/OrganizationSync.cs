using Microsoft.Extensions.Options;
using EmpowerBot.Storage;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Conversation;

/// <summary>
/// Keeps the roster's snapshot equal to the stored organisation. At start-up (before the app takes traffic) it stores
/// the configured organisation if none is stored, then loads what is stored; afterwards it looks at the version row
/// every Organization:RefreshInterval and reloads when another instance changed something. A change made here is
/// loaded at once, and the money paths (<see cref="EnsureCurrentAsync"/>) look before they decide, so someone removed
/// on one instance cannot spend on another in the meantime.
/// </summary>
public sealed class OrganizationSync(OrganizationStore store, Roster roster, IOptions<OrganizationOptions> options,
    IEnumerable<IApproverChanges> approverChanges, ILogger<OrganizationSync> log) : BackgroundService
{
    private readonly SemaphoreSlim reloading = new(1, 1);

    // Every credit and decision looks at the version row before it decides: turns that look at once share one read.
    private readonly FreshRead<OrganizationStore.Stamp?> stamps = new(store.StampAsync);

    public override async Task StartAsync(CancellationToken ct)
    {
        await store.SeedAsync(roster.TeamSettings, ct);
        await ReloadAsync(ct);
        log.LogInformation("Organisation loaded: {Teams} teams, version {Version}", roster.Teams.Count, roster.Version);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await EnsureCurrentAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                log.LogWarning(e, "Could not look at the stored organisation's version; keeping version {Version}", roster.Version);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reloads when the stored version is not the snapshot's; true when it did. One point read when nothing changed,
    /// started after this call and shared with the turns that ask while it runs (<see cref="FreshRead{T}"/>).
    /// </summary>
    public async Task<bool> EnsureCurrentAsync(CancellationToken ct)
    {
        var stamp = await stamps.GetAsync(ct);
        if (stamp is null || stamp.Version == roster.Version) return false;
        await ReloadAsync(ct, stamp.Version);
        return true;
    }

    /// <summary>
    /// The person as the stored organisation has them now: for the money paths (a credit, a decision), which must not
    /// act on a snapshot another instance has made stale (someone removed from a team, a manager made a rep).
    /// </summary>
    public async Task<Person> CurrentAsync(Person person, CancellationToken ct) => await EnsureCurrentAsync(ct) ? Refreshed(person) : person;

    /// <summary>The person as the organisation this instance holds now has them (their team, role and budget).</summary>
    public Person Refreshed(Person person) =>
        roster.Resolve(person.TenantId, person.Key, person.Name, person.Email) with { OwnZone = person.OwnZone };

    /// <summary>
    /// Completes when the stored organisation is the one this instance holds; throws <see cref="OrganizationChangedException"/>
    /// (after loading the new one) when another instance changed it. For the credit path, which runs it beside its own
    /// first reads and so pays no extra round trip: it must be awaited before anything is decided.
    /// </summary>
    public async Task ConfirmCurrentAsync(CancellationToken ct)
    {
        if (await EnsureCurrentAsync(ct)) throw new OrganizationChangedException();
    }

    /// <summary>Stores the changes and loads the result before returning, so the next turn here sees them.</summary>
    /// <param name="tenantId">
    /// The tenant the change was made in: a manager it removes (from a team, or from being a manager) hands the requests
    /// waiting for them to those who can decide them now.
    /// </param>
    public async Task ChangeAsync(IReadOnlyList<Change> changes, CancellationToken ct, IReadOnlyList<TableEntity>? audit = null, string? tenantId = null)
    {
        if (changes.Count == 0) return;
        var managers = tenantId is null ? [] : ManagersTouched(changes, tenantId);
        await store.ChangeAsync(changes, ct, audit);
        await ReloadAsync(ct);
        if (managers.Count == 0) return;
        foreach (var key in managers)
        {
            foreach (var approvals in approverChanges) await approvals.ApproverRemovedAsync(tenantId!, key, ct);
        }
    }

    /// <summary>Managers of the tenant that the changes remove from a team or make reps.</summary>
    private List<string> ManagersTouched(IReadOnlyList<Change> changes, string tenantId)
    {
        var teams = roster.Teams.Where(t => Roster.AppliesTo(t, tenantId)).ToList();
        IEnumerable<Member> ManagersOf(string teamId) => teams.Where(t => string.Equals(t.Id, teamId, StringComparison.OrdinalIgnoreCase)).SelectMany(t => t.Managers);
        var keys = new List<string>();
        foreach (var change in changes)
        {
            switch (change)
            {
                case Change.RemoveTeam gone:
                    keys.AddRange(ManagersOf(gone.TeamId).Select(m => m.PersonKey));
                    break;
                case Change.RemoveMember left:
                    keys.AddRange(ManagersOf(left.TeamId).Where(m => OrganizationRows.KeyOf(m) == left.MemberKey).Select(m => m.PersonKey));
                    break;
                case Change.PutMember put when !string.Equals(put.Member.Role, nameof(Role.Manager), StringComparison.OrdinalIgnoreCase):
                    keys.AddRange(ManagersOf(put.TeamId).Where(m => string.Equals(m.PersonKey, put.Member.Id, StringComparison.OrdinalIgnoreCase)).Select(m => m.PersonKey));
                    break;
            }
        }
        return keys.Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>A change decided on the stored organisation (see <see cref="OrganizationStore.ChangeWhenAsync"/>), loaded here when made.</summary>
    public async Task<bool> ChangeWhenAsync(Func<List<TeamOptions>, EmpowerBot.Policy.OrgRules?, (IReadOnlyList<Change> Changes, IReadOnlyList<TableEntity> Extra)?> decide,
        CancellationToken ct)
    {
        var changed = await store.ChangeWhenAsync(decide, ct);
        if (changed) await ReloadAsync(ct);
        return changed;
    }

    /// <param name="seen">The stored version that made the caller reload: turns that saw it together load it once.</param>
    private async Task ReloadAsync(CancellationToken ct, long? seen = null)
    {
        await reloading.WaitAsync(ct);
        try
        {
            if (seen is { } version && roster.Version == version) return;
            var (teams, loaded, rules) = await store.LoadAllAsync(ct);
            roster.Load(teams, loaded, rules);
        }
        finally
        {
            reloading.Release();
        }
    }
}

/// <summary>The stored organisation moved while a turn was deciding on the one this instance held: decide again on the new one.</summary>
public sealed class OrganizationChangedException() : Exception("The organisation changed on another instance; the turn is decided again on the current one.");
