using EmpowerBot.Budget;
using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Policy;

/// <summary>
/// What is wrong with a policy, each problem naming its key: the root "Policy" section at start-up, each team's own
/// policy under its key prefix (checked with the organisation), and a policy edit before it is saved.
/// </summary>
public sealed partial class PolicyOptions : ISettings
{
    public const string Section = "Policy";

    /// <summary>Far above any single credit, and safe to turn into minor units of any currency.</summary>
    private const decimal MaxAmount = 1_000_000m;

    public IEnumerable<string> Problems() => Problems(Section);

    /// <summary>Every problem, each naming its key under <paramref name="keyPrefix"/> ("Policy:Reasons:2:Cap …").</summary>
    public IReadOnlyList<string> Problems(string keyPrefix)
    {
        var errors = new List<string>();
        // Names and aliases share one space: "late" may mean only one reason, or matching would be a coin toss.
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Reasons.Count; i++)
        {
            var reason = Reasons[i];
            var key = $"{keyPrefix}:Reasons:{i}";
            CheckPhrase(reason.Name, $"{key}:Name", i);
            for (var a = 0; a < reason.Aliases.Count; a++) CheckPhrase(reason.Aliases[a], $"{key}:Aliases:{a}", i);
            CheckAmount(reason.Cap, $"{key}:Cap");
        }
        CheckAmount(ExceptionThreshold, $"{keyPrefix}:ExceptionThreshold");
        CheckAmount(HardMaximum, $"{keyPrefix}:HardMaximum");
        if (HardMaximum is { } max && ExceptionThreshold is { } threshold && max < threshold)
            errors.Add($"{keyPrefix}:HardMaximum ({max}) must be at least {keyPrefix}:ExceptionThreshold ({threshold}).");

        for (var f = 0; f < ForbiddenReasons.Count; f++)
        {
            // The name's key is the entry itself, so it reads right for the short form ("cash refund") too.
            var forbidden = ForbiddenReasons[f];
            CheckForbidden(forbidden.Name, $"{keyPrefix}:ForbiddenReasons:{f}");
            for (var a = 0; a < forbidden.Aliases.Count; a++) CheckForbidden(forbidden.Aliases[a], $"{keyPrefix}:ForbiddenReasons:{f}:Aliases:{a}");
        }
        for (var h = 0; h < HoldList.Count; h++)
        {
            if (!CustomerRef.TryNormalize(HoldList[h], out _, out var error))
                errors.Add($"{keyPrefix}:HoldList:{h}: {error}");
        }

        if (RepeatCustomer.MaxCredits < 0) errors.Add($"{keyPrefix}:RepeatCustomer:MaxCredits must be 0 (off) or more.");
        if (RepeatCustomer.WithinDays is < 0 or > 3660) errors.Add($"{keyPrefix}:RepeatCustomer:WithinDays must be between 0 (off) and 3660.");
        if (UndoWindow < TimeSpan.Zero || UndoWindow > TimeSpan.FromDays(1))
            errors.Add($"{keyPrefix}:UndoWindow must be between 00:00:00 (no undo) and 1.00:00:00.");
        return errors;

        void CheckPhrase(string phrase, string key, int reason)
        {
            var phraseKey = ReasonMatcher.Key(phrase);
            if (phraseKey.Length == 0)
                errors.Add($"{key} must contain a word.");
            else if (owners.TryGetValue(phraseKey, out var owner) && owner != reason)
                errors.Add($"{key} '{phrase}' is already used by {keyPrefix}:Reasons:{owner}.");
            else
                owners[phraseKey] = reason;
        }

        void CheckForbidden(string phrase, string key)
        {
            var phraseKey = ReasonMatcher.Key(phrase);
            if (phraseKey.Length == 0)
                errors.Add($"{key} must contain a word.");
            else if (owners.TryGetValue(phraseKey, out var owner))
                errors.Add($"{key} '{phrase}' is also a name or alias of {keyPrefix}:Reasons:{owner}.");
        }

        void CheckAmount(decimal? amount, string key)
        {
            if (amount is null) return;
            if (amount <= 0) errors.Add($"{key} must be more than zero.");
            else if (amount > MaxAmount) errors.Add($"{key} must be at most {MaxAmount:N0}.");
        }
    }
}

[OptionsValidator]
public sealed partial class PolicyOptionsValidator : IValidateOptions<PolicyOptions>;
