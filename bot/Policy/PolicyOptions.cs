using System.ComponentModel;
using System.Globalization;
using EmpowerBot.Budget;

namespace EmpowerBot.Policy;

/// <summary>
/// A team's credit policy: the root "Policy" section of appsettings.json is every team's default, and a team
/// may carry its own "Policy", which replaces the default as a whole. Amounts are in the team's currency.
/// </summary>
public sealed partial class PolicyOptions
{
    /// <summary>The reasons a credit can be given for, with the words reps use for them and optional caps.</summary>
    public List<ReasonOptions> Reasons { get; set; } = [];

    /// <summary>A single credit above this needs a manager's approval. Null: no threshold.</summary>
    public decimal? ExceptionThreshold { get; set; }

    /// <summary>Non-negotiable: a credit above this is refused outright. Null: no maximum.</summary>
    public decimal? HardMaximum { get; set; }

    /// <summary>
    /// Non-negotiable: reasons a credit may never be given for ("cash refund"), with the other words reps use for them,
    /// looked for anywhere in what the rep wrote. An entry may be just the name: "cash refund".
    /// </summary>
    public List<ForbiddenReasonOptions> ForbiddenReasons { get; set; } = [];

    /// <summary>Non-negotiable: customer references that may receive no credit at all.</summary>
    public List<string> HoldList { get; set; } = [];

    public RepeatCustomerOptions RepeatCustomer { get; set; } = new();

    /// <summary>How long a rep may undo a credit they applied. Zero: no undo.</summary>
    public TimeSpan UndoWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>False: every month starts with the full budget. True: what is left is added to the next month.</summary>
    public bool CarryOver { get; set; }

    /// <summary>A deep copy, to change without touching the one a snapshot or the configuration holds.</summary>
    public PolicyOptions Copy() => System.Text.Json.JsonSerializer.Deserialize<PolicyOptions>(System.Text.Json.JsonSerializer.Serialize(this))!;
}

public sealed class ReasonOptions
{
    /// <summary>The canonical name shown on cards and in reports ("Late delivery").</summary>
    public string Name { get; set; } = "";

    /// <summary>Other words reps use for it ("late", "delayed").</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>A single credit for this reason above this needs approval. Null: no cap of its own.</summary>
    public decimal? Cap { get; set; }
}

/// <summary>A forbidden reason as configured: an object with Name and Aliases, or only its name as a string.</summary>
[TypeConverter(typeof(ForbiddenReasonConverter))]
public sealed class ForbiddenReasonOptions
{
    /// <summary>The name the refusal quotes ("cash refund"); matched in any word order within a few words.</summary>
    public string Name { get; set; } = "";

    /// <summary>Other ways reps say it ("refund in cash", "cash back"), matched as written, forgiving a small typo.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>So code, like configuration, can name a forbidden reason by its name alone.</summary>
    public static implicit operator ForbiddenReasonOptions(string name) => new() { Name = name };
}

/// <summary>Lets configuration bind a bare string ("cash refund") as a forbidden reason with no aliases.</summary>
public sealed class ForbiddenReasonConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string name ? new ForbiddenReasonOptions { Name = name } : base.ConvertFrom(context, culture, value);
}

/// <summary>
/// More than <see cref="MaxCredits"/> credits to one customer within <see cref="WithinDays"/> days is an
/// exception. Either value at 0 switches the rule off.
/// </summary>
public sealed class RepeatCustomerOptions
{
    public int MaxCredits { get; set; } = 2;

    public int WithinDays { get; set; } = 30;
}

/// <summary>A reason as the parser and the policy see it: immutable, whatever configuration does later.</summary>
public sealed record ReasonDefinition(string Name, IReadOnlyList<string> Aliases, decimal? Cap = null)
{
    public static ReasonDefinition From(ReasonOptions options) =>
        new(options.Name.Trim(), options.Aliases.Select(a => a.Trim()).Where(a => a.Length > 0).ToArray(), options.Cap);

    public override string ToString() => Name;
}

/// <summary>A forbidden reason as the policy and the parser see it: immutable, whatever configuration does later.</summary>
public sealed record ForbiddenReason(string Name, IReadOnlyList<string> Aliases)
{
    public static ForbiddenReason From(ForbiddenReasonOptions options) =>
        new(options.Name.Trim(), options.Aliases.Select(a => a.Trim()).Where(a => a.Length > 0).ToArray());

    /// <summary>
    /// The name in any word order within a short span ("refund them in cash" is a cash refund), an alias as written;
    /// both forgiving a small typo in each word.
    /// </summary>
    public bool IsNamedIn(string text) =>
        ReasonMatcher.ContainsInAnyOrder(text, Name) || Aliases.Any(alias => ReasonMatcher.Contains(text, alias));

    public override string ToString() => Name;
}
