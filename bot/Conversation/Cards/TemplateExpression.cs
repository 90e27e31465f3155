using System.Text.Json;
using static EmpowerBot.Conversation.Cards.TemplateValue;

namespace EmpowerBot.Conversation.Cards;

/// <summary>Where an expression is evaluated: the bound data, the current <c>$data</c> and <c>$index</c>.</summary>
internal readonly record struct TemplateScope(object? Root, object? Data, object? Index)
{
    public static TemplateScope For(object? root) => new(root, Undefined, Undefined);

    /// <summary>Until a <c>$data</c> rebinds it, the scope is the root.</summary>
    public object? CurrentData => ReferenceEquals(Data, Undefined) ? Root : Data;
}

/// <summary>
/// An evaluation error the official engine reports (rather than a value). Operators such as
/// <c>!</c>, <c>&amp;&amp;</c> or <c>==</c> swallow it as adaptive-expressions does; <see cref="Value"/>
/// is what the failing call still returned, which <c>||</c> passes on.
/// </summary>
internal sealed class TemplateEvaluationException(string message, object? value) : Exception(message)
{
    public object? Value { get; } = value;
}

/// <summary>
/// A parsed <c>${…}</c> expression: the subset of Adaptive Expressions our cards use, evaluated with
/// adaptive-expressions' rules. <paramref name="substitute"/> mirrors its nullSubstitution option: the
/// templating engine turns a missing field into the text <c>${path}</c>, except inside logical operators,
/// comparisons and conditions, which evaluate their operands without it.
/// </summary>
internal abstract class TemplateExpression
{
    public abstract object? Evaluate(in TemplateScope scope, bool substitute);

    /// <summary>Constants are not typed results: the engine stringifies <c>"${5}"</c> to <c>"5"</c>.</summary>
    public virtual bool IsConstant => false;

    /// <summary>Can this be a number or a boolean? adaptive-expressions rejects those as <c>count()</c> arguments when parsing.</summary>
    public virtual bool IsNumberOrBoolean => false;

    protected static object? EvaluateOrError(TemplateExpression expression, in TemplateScope scope, out bool failed)
    {
        try
        {
            failed = false;
            return expression.Evaluate(scope, substitute: false);
        }
        catch (TemplateEvaluationException error)
        {
            failed = true;
            return error.Value;
        }
    }
}

internal sealed class LiteralExpression(object? value, string text) : TemplateExpression
{
    public override object? Evaluate(in TemplateScope scope, bool substitute) => value;
    public override bool IsConstant => true;
    public override bool IsNumberOrBoolean => value is double or bool;
    public override string ToString() => text;
}

internal abstract record PathSegment;
internal sealed record MemberSegment(string Name) : PathSegment;
internal sealed record IndexSegment(int Index) : PathSegment;
internal sealed record KeySegment(string Key) : PathSegment;

/// <summary>
/// <c>name.member[0]['key']</c>, rooted at <c>$data</c> unless it starts with <c>$root</c>, <c>$data</c> or <c>$index</c>.
/// A path ending in an index is an element access in adaptive-expressions, which reports errors
/// (not a list, out of range) and never substitutes; any other path is a memory lookup, which
/// yields undefined instead of failing.
/// </summary>
internal sealed class PathExpression : TemplateExpression
{
    private readonly string _root;
    private readonly IReadOnlyList<PathSegment> _segments;
    private readonly PathExpression? _elementInstance;
    private readonly string _text;
    private readonly string _rootKind; // "$root", "$data", "$index", another "$…" (undefined), or "" for a field

    public PathExpression(string root, IReadOnlyList<PathSegment> segments)
    {
        _root = root;
        _rootKind = root.ToLowerInvariant() is "$root" or "$data" or "$index" ? root.ToLowerInvariant() : root.StartsWith('$') ? "$" : "";
        _segments = segments;
        _text = root + string.Concat(segments.Select(s => s switch
        {
            MemberSegment m => "." + m.Name,
            IndexSegment i => $"[{i.Index}]",
            KeySegment k => $"['{k.Key}']",
            _ => throw new InvalidOperationException(),
        }));
        if (segments.Count > 0 && segments[^1] is not MemberSegment)
        {
            _elementInstance = new PathExpression(root, segments.Take(segments.Count - 1).ToArray());
        }
    }

    public override string ToString() => _text;

    public override object? Evaluate(in TemplateScope scope, bool substitute)
    {
        if (_elementInstance is not null)
        {
            var instance = _elementInstance.Evaluate(scope, substitute);
            if (_segments[^1] is KeySegment key)
            {
                return AccessProperty(instance, key.Key);
            }
            var value = AccessIndex(instance, ((IndexSegment)_segments[^1]).Index, out var error);
            return error is null ? value : throw new TemplateEvaluationException(error, Undefined);
        }

        var found = Lookup(scope);
        return ReferenceEquals(found, Undefined) && substitute ? "${" + _text + "}" : found;
    }

    private object? Lookup(in TemplateScope scope)
    {
        var current = _rootKind switch
        {
            "" => AccessProperty(scope.CurrentData, _root),
            "$root" => scope.Root,
            "$data" => scope.CurrentData,
            "$index" => scope.Index,
            _ => Undefined,
        };
        foreach (var segment in _segments)
        {
            if (segment is IndexSegment { Index: var index } && current is JsonElement { ValueKind: JsonValueKind.Array })
            {
                current = AccessIndex(current, index, out var error);
                if (error is not null) return Undefined;
            }
            else
            {
                current = AccessProperty(current, segment switch
                {
                    MemberSegment m => m.Name,
                    IndexSegment i => i.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    KeySegment k => k.Key,
                    _ => throw new InvalidOperationException(),
                });
            }
        }
        return current;
    }
}

internal sealed class NotExpression(TemplateExpression operand) : TemplateExpression
{
    public override bool IsNumberOrBoolean => true;
    public override string ToString() => $"!({operand})";

    public override object? Evaluate(in TemplateScope scope, bool substitute)
    {
        var value = EvaluateOrError(operand, scope, out var failed);
        return failed || !IsLogicTrue(value);
    }
}

internal sealed class LogicalExpression(bool isAnd, TemplateExpression left, TemplateExpression right) : TemplateExpression
{
    public override bool IsNumberOrBoolean => true;
    public override string ToString() => $"({left} {(isAnd ? "&&" : "||")} {right})";

    public override object? Evaluate(in TemplateScope scope, bool substitute)
    {
        object? last = false;
        foreach (var operand in new[] { left, right })
        {
            var value = EvaluateOrError(operand, scope, out var failed);
            if (isAnd && (failed || !IsLogicTrue(value))) return false;
            if (!isAnd && !failed && IsLogicTrue(value)) return true;
            last = value;
        }
        // adaptive-expressions' `or` hands back its last operand's value when nothing was true.
        return isAnd ? true : last;
    }
}

internal sealed class ComparisonExpression(string op, TemplateExpression left, TemplateExpression right) : TemplateExpression
{
    public override bool IsNumberOrBoolean => true;
    public override string ToString() => $"({left} {op} {right})";

    public override object? Evaluate(in TemplateScope scope, bool substitute)
    {
        var a = EvaluateOrError(left, scope, out var failed);
        if (failed) return false;
        var isEquality = op is "==" or "!=";
        if (!isEquality && IsNullish(a)) return false;
        var b = EvaluateOrError(right, scope, out failed);
        if (failed) return false;
        if (isEquality) return LooseEquals(a, b) == (op == "==");
        if (IsNullish(b)) return false;

        int order;
        if (a is double x && b is double y && !double.IsNaN(x) && !double.IsNaN(y)) order = x.CompareTo(y);
        else if (a is string s && b is string t) order = string.CompareOrdinal(s, t);
        else throw new TemplateEvaluationException($"{ToText(a)} and {ToText(b)} must be comparable.", false);

        return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }
}

/// <summary><c>count(list)</c>, <c>empty(x)</c> and <c>if(cond, a, b)</c>.</summary>
internal sealed class FunctionExpression(string name, IReadOnlyList<TemplateExpression> args) : TemplateExpression
{
    public override bool IsNumberOrBoolean => name is "count" or "empty";
    public override string ToString() => $"{name}({string.Join(", ", args)})";

    public override object? Evaluate(in TemplateScope scope, bool substitute) => name switch
    {
        "count" => Count(args[0].Evaluate(scope, substitute)),
        "empty" => Empty(EvaluateOrError(args[0], scope, out var failed), failed),
        "if" => args[IsLogicTrue(EvaluateOrError(args[0], scope, out var failed)) && !failed ? 1 : 2].Evaluate(scope, substitute),
        _ => throw new InvalidOperationException($"Unknown function {name}"),
    };

    private double Count(object? value) => value switch
    {
        string s => s.Length,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength(),
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Count(),
        null => throw new TemplateEvaluationException("Cannot convert undefined or null to object", Undefined),
        _ => throw new TemplateEvaluationException($"{args[0]} must be a string, list, map or object.", Undefined),
    };

    private static bool Empty(object? value, bool failed) => !failed && value switch
    {
        null => true,
        string s => s.Length == 0,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() == 0,
        JsonElement { ValueKind: JsonValueKind.Object } o => !o.EnumerateObject().Any(),
        _ => ReferenceEquals(value, Undefined),
    };
}
