/* Letter grades. The scale is template data (templates/<kind>/grades.xml);
 * this only applies it, exactly. */
#include <string.h>
#include "rg.h"

int rg_grade_scale_add(rg_grade_scale *s, const char *letter, rg_dec min_percent)
{
    if (s->n >= (int)(sizeof s->step / sizeof s->step[0]) || !*letter ||
        strlen(letter) >= sizeof s->step[0].letter)
        return -1;
    if (s->n > 0 && s->step[s->n - 1].min_percent <= min_percent)
        return -1;
    strcpy(s->step[s->n].letter, letter);
    s->step[s->n].min_percent = min_percent;
    s->n++;
    return 0;
}

const char *rg_grade_for(const rg_grade_scale *s, rg_dec score, rg_dec max)
{
    if (max <= 0)
        return NULL;
    /* score/max >= p/100  <=>  score*100 >= p*max; both sides stay in
     * int64 for |values| < 1e12 thousandths. */
    for (int i = 0; i < s->n; i++) {
        __int128 lhs = (__int128)score * 100 * RG_DEC_ONE;
        __int128 rhs = (__int128)s->step[i].min_percent * max;
        if (lhs >= rhs)
            return s->step[i].letter;
    }
    return NULL;
}
